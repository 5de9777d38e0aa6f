package io.dcf.gateway.logging;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * At most one log line per window for one kind of event: {@link #admit()} says whether to log
 * this one and how many the window held back since the last line, so a burst of 10,000 like
 * events writes one line per window that counts the rest.
 */
public final class LogWindow {

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private boolean logged;
    private long lastLogged;
    private long heldBack;

    /** A window of {@code window}, timed by {@code nanoClock} ({@code System::nanoTime}, or a test's clock). */
    public LogWindow(Duration window, LongSupplier nanoClock) {
        requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        this.windowNanos = window.toNanos();
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
    }

    /** The count held back since the last line (log this one, with that count), or -1: hold this one back too. */
    public synchronized long admit() {
        long now = nanoClock.getAsLong();
        if (logged && now - lastLogged < windowNanos) {
            heldBack++;
            return -1;
        }
        logged = true;
        lastLogged = now;
        long count = heldBack;
        heldBack = 0;
        return count;
    }

    /** The window in whole seconds, for the line that counts what it held back. */
    public long seconds() {
        return windowNanos / 1_000_000_000L;
    }
}
