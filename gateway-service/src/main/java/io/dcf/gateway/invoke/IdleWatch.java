package io.dcf.gateway.invoke;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a stream that has passed no message in either direction for a while. One check is
 * pending at a time, on the stream's event loop; it is cancelled when the stream ends, so a
 * closed stream leaves nothing behind.
 */
final class IdleWatch {

    private final Runnable onIdle;
    private volatile long lastActivity = System.nanoTime();
    private ScheduledExecutorService scheduler;
    private long windowNanos;
    private ScheduledFuture<?> pending;
    private boolean stopped;

    /** A watch that is not started yet; {@code onIdle} runs at most once. */
    IdleWatch(Runnable onIdle) {
        this.onIdle = onIdle;
    }

    /** Starts watching: {@code onIdle} runs if {@code window} passes without {@link #touch()}; no-op once stopped. */
    synchronized void start(Duration window) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        scheduler = ctx != null ? ctx.eventLoop() : CommonPools.workerGroup().next();
        windowNanos = window.toNanos();
        touch();
        schedule(windowNanos);
    }

    /** A message passed. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** The stream ended: no check runs any more. */
    synchronized void stop() {
        stopped = true;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private synchronized void schedule(long delayNanos) {
        if (!stopped) {
            pending = scheduler.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        synchronized (this) {
            long idle = System.nanoTime() - lastActivity;
            if (stopped) {
                return;
            }
            if (idle < windowNanos) {
                schedule(windowNanos - idle);
                return;
            }
            stopped = true;
        }
        onIdle.run();
    }

    /** "300 s", or "1500 ms" when not a whole number of seconds. */
    static String describe(Duration window) {
        long millis = window.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
