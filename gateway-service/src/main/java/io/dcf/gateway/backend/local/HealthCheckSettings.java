package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the local backend checks its ready replicas ({@link ReplicaHealth}).
 *
 * @param interval       how often each ready replica's health is asked
 * @param timeout        the deadline of one check
 * @param unhealthyAfter checks in a row without an answer that take a replica out of rotation
 * @param ejection       how long a replica ejected by the invocation path stays out at least
 */
public record HealthCheckSettings(Duration interval, Duration timeout, int unhealthyAfter, Duration ejection) {

    public HealthCheckSettings {
        requireNonNull(interval, "interval");
        requireNonNull(timeout, "timeout");
        requireNonNull(ejection, "ejection");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("health timeout: " + timeout + " (expected: > 0 and < the interval "
                    + interval + ")");
        }
        if (unhealthyAfter < 1) {
            throw new IllegalArgumentException("unhealthyAfter: " + unhealthyAfter + " (expected: >= 1)");
        }
    }

    /** Every 1 s, 500 ms deadline, out after 2 unanswered checks, ejected for at least 5 s. */
    public static HealthCheckSettings defaults() {
        return new HealthCheckSettings(Duration.ofSeconds(1), Duration.ofMillis(500), 2, Duration.ofSeconds(5));
    }
}
