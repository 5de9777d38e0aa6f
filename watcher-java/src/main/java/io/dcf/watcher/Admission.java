package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether a call may start: not while the handler loads, not while draining, and
 * not past {@code DCF_MAX_CONCURRENCY} calls (a stream counts as one while open). Draining
 * waits for the admitted calls by taking every permit back.
 */
final class Admission {

    private enum State { LOADING, SERVING, DRAINING }

    private final String function;
    private final int limit;
    private final Semaphore permits;
    private volatile State state = State.LOADING;

    Admission(String function, int limit) {
        this.function = requireNonNull(function, "function");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Takes a permit; {@link Status#OK} when admitted (the caller must {@link #release()}), else why not. */
    Status tryEnter() {
        State current = state;
        if (current == State.LOADING) {
            return Statuses.loading(function);
        }
        if (current == State.DRAINING) {
            return Statuses.draining(function);
        }
        if (permits.tryAcquire()) {
            return Status.OK;
        }
        return state == State.DRAINING ? Statuses.draining(function) : Statuses.atLimit(function, limit);
    }

    void release() {
        permits.release();
    }

    void serving() {
        if (state == State.LOADING) {
            state = State.SERVING;
        }
    }

    boolean isServing() {
        return state == State.SERVING;
    }

    /** Refuses new calls from now on, then waits up to {@code timeout} for admitted calls to finish. */
    boolean drain(Duration timeout) throws InterruptedException {
        state = State.DRAINING;
        return permits.tryAcquire(limit, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    int inFlight() {
        return limit - permits.availablePermits();
    }
}
