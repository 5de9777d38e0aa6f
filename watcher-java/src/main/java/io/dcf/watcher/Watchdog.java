package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.grpc.Deadline;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The deadline of the work a call is doing now: {@code DCF_TIMEOUT_MS}, or less when the
 * caller's own deadline comes first. {@link #arm()} starts (or restarts) the clock; on expiry
 * the callback gets the budget in milliseconds.
 */
final class Watchdog {

    private final ScheduledExecutorService timer;
    private final long timeoutMillis;
    private final Deadline callerDeadline;
    private final LongConsumer onExpiry;
    private ScheduledFuture<?> pending;

    /** {@code callerDeadline} may be {@code null}: the caller set none. */
    Watchdog(ScheduledExecutorService timer, long timeoutMillis, Deadline callerDeadline, LongConsumer onExpiry) {
        this.timer = requireNonNull(timer, "timer");
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis: " + timeoutMillis + " (expected: > 0)");
        }
        this.timeoutMillis = timeoutMillis;
        this.callerDeadline = callerDeadline;
        this.onExpiry = requireNonNull(onExpiry, "onExpiry");
    }

    synchronized void arm() {
        disarm();
        long budget = timeoutMillis;
        if (callerDeadline != null) {
            budget = Math.min(budget, Math.max(0, callerDeadline.timeRemaining(TimeUnit.MILLISECONDS)));
        }
        long millis = budget;
        pending = timer.schedule(() -> onExpiry.accept(millis), millis, TimeUnit.MILLISECONDS);
    }

    synchronized void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
