package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open loop at a fixed rate: one thread (the phase's caller) sends each call when its
 * {@link Pacing} schedule says, whether or not earlier calls have completed, with at most
 * {@code concurrency} in flight (a call due while every slot is busy waits for one; the
 * schedule then catches up). Unlike the {@link ClosedLoop}, whose calls come in bursts as fast
 * as the target answers, the target sees calls spread evenly: at a rate below its capacity it
 * is idle between them, as a replica is behind a gateway that forwards calls one at a time.
 * Latency is measured from each call's actual send.
 */
final class PacedLoop {

    private final Target target;
    private final Pacing pacing;
    private final int concurrency;
    private final int expectedOutputBytes;
    private final Duration callTimeout;

    PacedLoop(Target target, Pacing pacing, int concurrency, int expectedOutputBytes, Duration callTimeout) {
        this.target = requireNonNull(target, "target");
        this.pacing = requireNonNull(pacing, "pacing");
        this.concurrency = concurrency;
        this.expectedOutputBytes = expectedOutputBytes;
        this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    }

    /**
     * Runs one phase on the calling thread and waits for every call it started. Bounded: no call
     * but the first starts after {@code duration}, none beyond {@code maxRequests}, and every call
     * has a deadline.
     */
    PhaseResult run(Duration duration, long maxRequests) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        PhaseRecorder recorder = new PhaseRecorder(start, expectedOutputBytes);
        Semaphore slots = new Semaphore(concurrency);
        long calls = Math.min(pacing.callsIn(duration), maxRequests);
        for (long n = 0; n < calls; n++) {
            long due = start + pacing.offsetNanos(n);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            long sent = System.nanoTime();
            if (n > 0 && sent - end >= 0) { // late past the phase's end (the first call always goes, as a closed loop's)
                slots.release();
                break;
            }
            send(sent, recorder, slots);
        }
        Duration patience = callTimeout.plusSeconds(5);
        if (!slots.tryAcquire(concurrency, patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(target.name() + ": calls still in flight " + patience.toSeconds()
                                            + " s after the last was sent");
        }
        return recorder.result(target.name());
    }

    private void send(long sent, PhaseRecorder recorder, Semaphore slots) {
        CompletableFuture<Integer> call;
        try {
            call = target.call();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((size, error) -> {
            recorder.record(sent, size, error);
            slots.release();
        });
    }
}
