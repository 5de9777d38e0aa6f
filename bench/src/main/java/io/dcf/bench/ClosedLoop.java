package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop: {@code concurrency} slots, each sending its next request as soon as
 * the previous one completes, until the phase's time or request budget is spent. No
 * thread blocks per request; completions run on the client's event loops.
 */
final class ClosedLoop {

    private final Target target;
    private final int concurrency;
    private final int expectedOutputBytes;
    private final Duration callTimeout;

    ClosedLoop(Target target, int concurrency, int expectedOutputBytes, Duration callTimeout) {
        this.target = requireNonNull(target, "target");
        this.concurrency = concurrency;
        this.expectedOutputBytes = expectedOutputBytes;
        this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    }

    /**
     * Runs one phase and waits for every request it started. Bounded: no request starts
     * after {@code duration} or beyond {@code maxRequests}, and every call has a deadline.
     */
    PhaseResult run(Duration duration, long maxRequests) throws InterruptedException {
        Phase phase = new Phase(System.nanoTime(), duration.toNanos(), maxRequests);
        for (int i = 0; i < concurrency; i++) {
            phase.next();
        }
        Duration patience = duration.plus(callTimeout).plusSeconds(5);
        if (!phase.finished.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(target.name() + ": requests still in flight "
                                            + patience.toSeconds() + " s after the phase started");
        }
        return phase.recorder.result(target.name());
    }

    private final class Phase {
        final long start;
        final long end;
        final long maxRequests;
        final AtomicLong started = new AtomicLong();
        final PhaseRecorder recorder;
        final CountDownLatch finished = new CountDownLatch(concurrency);

        Phase(long start, long durationNanos, long maxRequests) {
            this.start = start;
            this.end = start + durationNanos;
            this.maxRequests = maxRequests;
            this.recorder = new PhaseRecorder(start, expectedOutputBytes);
        }

        /** Starts the slot's next request; loops instead of recursing when calls complete at once. */
        void next() {
            while (true) {
                long now = System.nanoTime();
                if (now - end >= 0 || started.incrementAndGet() > maxRequests) {
                    finished.countDown();
                    return;
                }
                CompletableFuture<Integer> call;
                try {
                    call = target.call();
                } catch (RuntimeException e) {
                    call = CompletableFuture.failedFuture(e);
                }
                if (!call.isDone()) {
                    call.whenComplete((size, error) -> {
                        recorder.record(now, size, error);
                        next();
                    });
                    return;
                }
                call.whenComplete((size, error) -> recorder.record(now, size, error)); // done: runs here, now
            }
        }
    }
}
