package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one measured phase saw.
 *
 * @param scenario     the target's name
 * @param latencies    latencies of the successful calls, in nanoseconds
 * @param errors       failed calls and calls with a wrong output
 * @param elapsedNanos from the first request sent to the last completion
 * @param firstError   the first failure's description, or null
 * @param cpuNanos     CPU time each watched process used during the phase
 * @param frameBytes   for a stream phase, the size of each frame (a "request" is then one echoed
 *                     frame); 0 for a unary phase
 * @param perf         perf counts by watched process and event ({@link PerfStat}), over {@code perfCalls}
 *                     calls (the phase and the short settle before it); empty without perf
 * @param perfCalls    calls completed while perf counted
 */
record PhaseResult(String scenario, Histogram latencies, long errors, long elapsedNanos, String firstError,
                   Map<String, Long> cpuNanos, int frameBytes, Map<String, Map<String, Double>> perf,
                   long perfCalls) {

    PhaseResult {
        requireNonNull(scenario, "scenario");
        requireNonNull(latencies, "latencies");
        cpuNanos = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(cpuNanos, "cpuNanos")));
        perf = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(perf, "perf")));
    }

    PhaseResult(String scenario, Histogram latencies, long errors, long elapsedNanos, String firstError,
                Map<String, Long> cpuNanos, int frameBytes) {
        this(scenario, latencies, errors, elapsedNanos, firstError, cpuNanos, frameBytes, Map.of(), 0);
    }

    /** A unary phase. */
    PhaseResult(String scenario, Histogram latencies, long errors, long elapsedNanos, String firstError,
                Map<String, Long> cpuNanos) {
        this(scenario, latencies, errors, elapsedNanos, firstError, cpuNanos, 0);
    }

    /** The same phase with the CPU time each watched process used. */
    PhaseResult withCpu(Map<String, Long> cpu) {
        return new PhaseResult(scenario, latencies, errors, elapsedNanos, firstError, cpu, frameBytes, perf, perfCalls);
    }

    /** The same phase with perf's counts over {@code calls} calls. */
    PhaseResult withPerf(Map<String, Map<String, Double>> counts, long calls) {
        return new PhaseResult(scenario, latencies, errors, elapsedNanos, firstError, cpuNanos, frameBytes, counts,
                               calls);
    }

    /** The same phase as a stream of {@code bytes}-byte frames. */
    PhaseResult withFrameBytes(int bytes) {
        return new PhaseResult(scenario, latencies, errors, elapsedNanos, firstError, cpuNanos, bytes, perf,
                               perfCalls);
    }

    /** Whether this was a stream phase (requests are echoed frames). */
    boolean isStream() {
        return frameBytes > 0;
    }

    /** Echoed bytes per second, in MiB/s (streams). */
    double mebibytesPerSecond() {
        return requestsPerSecond() * frameBytes / (1024.0 * 1024.0);
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
