package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the calls of one unary phase did, recorded from the client's event loops: latencies of
 * the calls that echoed the payload, errors (a failed call, or an output of another size) with
 * the first one's description, and the last completion. Shared by {@link ClosedLoop} and
 * {@link PacedLoop}.
 */
final class PhaseRecorder {

    /** Latencies above this are recorded as this (the histogram's range). */
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final long start;
    private final int expectedOutputBytes;
    private final Histogram latencies = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final LongAccumulator lastCompletion;

    PhaseRecorder(long start, int expectedOutputBytes) {
        this.start = start;
        this.expectedOutputBytes = expectedOutputBytes;
        this.lastCompletion = new LongAccumulator(Math::max, start);
    }

    /** Records one call sent at {@code sent} (System.nanoTime) that ended now with {@code size} or {@code error}. */
    void record(long sent, Integer size, Throwable error) {
        long done = System.nanoTime();
        lastCompletion.accumulate(done);
        if (error == null && size != null && size == expectedOutputBytes) {
            latencies.recordValue(Math.min(done - sent, MAX_LATENCY_NANOS));
            return;
        }
        errors.increment();
        String message = error != null ? describe(error)
                                       : "echoed " + size + " bytes (expected: " + expectedOutputBytes + ")";
        firstError.compareAndSet(null, message);
    }

    /** The phase's result, from its start to its last completion; call once every call has ended. */
    PhaseResult result(String scenario) {
        long elapsed = Math.max(1, lastCompletion.get() - start);
        return new PhaseResult(requireNonNull(scenario, "scenario"), latencies, errors.sum(), elapsed,
                               firstError.get(), Map.of());
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
