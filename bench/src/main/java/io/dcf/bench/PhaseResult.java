package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import org.HdrHistogram.Histogram;

/**
 * What one measured phase saw.
 *
 * @param scenario     the target's name
 * @param latencies    latencies of the successful calls, in nanoseconds
 * @param errors       failed calls and calls with a wrong output
 * @param elapsedNanos from the first request sent to the last completion
 * @param firstError   the first failure's description, or null
 */
record PhaseResult(String scenario, Histogram latencies, long errors, long elapsedNanos, String firstError) {

    PhaseResult {
        requireNonNull(scenario, "scenario");
        requireNonNull(latencies, "latencies");
    }

    /** Successful calls. */
    long requests() {
        return latencies.getTotalCount();
    }

    /** Successful calls per second. */
    double requestsPerSecond() {
        return requests() * 1e9 / elapsedNanos;
    }

    /** The latency at {@code percentile} (0-100), in milliseconds; NaN without a successful call. */
    double latencyMillis(double percentile) {
        return requests() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
    }
}
