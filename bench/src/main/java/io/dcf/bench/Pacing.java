package io.dcf.bench;

import java.time.Duration;

/**
 * The schedule of a paced phase: call {@code n} (from 0) is due {@code n / rate} seconds after
 * the phase's start. Each send time is computed from {@code n}, not added up call by call, so a
 * long phase does not drift, and a sender that fell behind (its thread woke late, or every slot
 * was busy) catches up with calls already due.
 *
 * @param rate calls per second (&gt; 0)
 */
record Pacing(int rate) {

    Pacing {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: > 0)");
        }
    }

    /** When call {@code n} is due, in nanoseconds after the phase's start. */
    long offsetNanos(long n) {
        return Math.round(n * 1e9 / rate);
    }

    /** How many calls are due before {@code duration} has passed: the phase's calls. */
    long callsIn(Duration duration) {
        long nanos = duration.toNanos();
        return (long) Math.ceil(nanos * (double) rate / 1e9);
    }
}
