package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether a call may start: not while the handler loads, not while draining, and
 * not past {@code DCF_MAX_CONCURRENCY} calls (a stream counts as one while open). Streams
 * may hold at most half of the slots (rounded up, at least one), so streams that stay open
 * never starve unary calls. Draining waits for the admitted calls by taking every permit back.
 */
final class Admission {

    private enum State { LOADING, SERVING, DRAINING }

    private volatile String function;
    private final int limit;
    private final int streamLimit;
    private final Semaphore permits;
    private final AtomicInteger streams = new AtomicInteger();
    private volatile State state = State.LOADING;

    Admission(String function, int limit) {
        this.function = requireNonNull(function, "function");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
        }
        this.limit = limit;
        this.streamLimit = streamLimit(limit);
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

    /**
     * Like {@link #tryEnter()} for a stream, which also needs one of the streams' share of the
     * slots. The share is reserved first, so streams refused at their share never touch the
     * permits (a burst of them cannot make a unary call look refused).
     */
    Status tryEnterStream() {
        State current = state;
        if (current != State.SERVING) {
            return tryEnter();
        }
        int open;
        do {
            open = streams.get();
            if (open >= streamLimit) {
                return Statuses.atStreamLimit(function, streamLimit, limit);
            }
        } while (!streams.compareAndSet(open, open + 1));
        Status admitted = tryEnter();
        if (!admitted.isOk()) {
            streams.decrementAndGet();
        }
        return admitted;
    }

    void releaseStream() {
        streams.decrementAndGet();
        permits.release();
    }

    /** The slots streams may hold: half of {@code limit}, rounded up. */
    static int streamLimit(int limit) {
        return (limit + 1) / 2;
    }

    /** A pooled watcher took its function: messages name it from now on. */
    void rename(String function) {
        this.function = requireNonNull(function, "function");
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
