package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a recurring event (a call timed out, a handler threw) at most once per window, with
 * the number held back since the last line, so a handler failing on every call under load
 * cannot flood the replica's log. The first event of each window is logged in full (its
 * stack trace included).
 */
final class LogWindow {

    static final long DEFAULT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger logger;
    private final Level level;
    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private boolean started;
    private long held;

    LogWindow(Logger logger, Level level) {
        this(logger, level, DEFAULT_WINDOW_NANOS, System::nanoTime);
    }

    LogWindow(Logger logger, Level level, long windowNanos, LongSupplier clock) {
        this.logger = requireNonNull(logger, "logger");
        this.level = requireNonNull(level, "level");
        this.windowNanos = windowNanos;
        this.clock = requireNonNull(clock, "clock");
    }

    /** Logs {@code message} (and {@code thrown}, may be null) unless a line went out within the window. */
    void log(Throwable thrown, String message) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long suppressed;
        synchronized (this) {
            long now = clock.getAsLong();
            if (started && now - windowStart < windowNanos) {
                held++;
                return;
            }
            started = true;
            windowStart = now;
            suppressed = held;
            held = 0;
        }
        String line = suppressed == 0 ? message
                : message + " (" + suppressed + " more like it in the last "
                  + TimeUnit.NANOSECONDS.toSeconds(windowNanos) + " s not logged)";
        logger.log(level, line, thrown);
    }
}
