package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one benchmark run does. Parsed from {@code --key=value} arguments; every key
 * has a default except the targets, and a scenario whose target is missing is skipped.
 *
 * @param direct      host:port of a watcher, called with {@code dcf.v1.Watcher/Call}
 * @param gateway     host:port of a gateway, called with {@code dcf.v1.Gateway/Invoke}
 *                    and {@code POST /function/<name>}
 * @param function    the function to invoke (an echo handler)
 * @param concurrency requests in flight at once (closed loop)
 * @param warmup      unmeasured time before each measured phase
 * @param duration    measured time of each phase
 * @param rounds      how many times the scenarios are run, one after another
 * @param payloadBytes size of the request body
 * @param maxRequests most requests one phase may start
 * @param callTimeout deadline of one call
 * @param httpProtocol "h1c" (HTTP/1.1, one connection per request in flight) or "h2c"
 * @param cpuPids     other processes whose CPU time per phase is reported, by name
 * @param scenarios   which scenarios run: any of direct, grpc, http (unary) and stream
 * @param streamFrames frame sizes of the stream scenario, in bytes: one stream phase per size and target
 * @param perfEvents  perf events counted per watched process and unary phase ({@link PerfStat}); empty: none
 * @param rate        unary calls per second, sent on a fixed schedule with at most {@code concurrency} in
 *                    flight ({@link PacedLoop}); 0: a closed loop, as fast as the target answers
 */
record BenchOptions(Optional<String> direct, Optional<String> gateway, String function, int concurrency,
                    Duration warmup, Duration duration, int rounds, int payloadBytes, long maxRequests,
                    Duration callTimeout, String httpProtocol, Map<String, Long> cpuPids, Set<String> scenarios,
                    List<Integer> streamFrames, List<String> perfEvents, int rate) {

    /** Every scenario, in the order they run. */
    static final List<String> SCENARIOS = List.of("direct", "grpc", "http", "stream");

    static final String USAGE = """
            usage: java -jar dcf-bench.jar [--direct=HOST:PORT] [--gateway=HOST:PORT] [--function=hello-java]
                   [--concurrency=16] [--warmup=5s] [--duration=15s] [--rounds=2] [--payload-bytes=1024]
                   [--max-requests=10000000] [--call-timeout=10s] [--http=h1c|h2c]
                   [--cpu-pids=gateway=PID,replica=PID] [--scenarios=direct,grpc,http,stream]
                   [--stream-frames=65536,1024] [--perf-events=default|EVENT,EVENT] [--rate=0]
              durations: 500ms, 5s or 5 (seconds)""";

    BenchOptions {
        requireNonNull(direct, "direct");
        requireNonNull(gateway, "gateway");
        requireNonNull(function, "function");
        check(concurrency > 0, "concurrency: " + concurrency + " (expected: > 0)");
        check(!warmup.isNegative(), "warmup: " + warmup + " (expected: >= 0)");
        check(!duration.isNegative() && !duration.isZero(), "duration: " + duration + " (expected: > 0)");
        check(rounds > 0, "rounds: " + rounds + " (expected: > 0)");
        check(payloadBytes >= 0, "payload-bytes: " + payloadBytes + " (expected: >= 0)");
        check(maxRequests > 0, "max-requests: " + maxRequests + " (expected: > 0)");
        check(callTimeout.toMillis() > 0, "call-timeout: " + callTimeout + " (expected: > 0)");
        check(httpProtocol.equals("h1c") || httpProtocol.equals("h2c"),
              "http: " + httpProtocol + " (expected: h1c or h2c)");
        cpuPids = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(cpuPids, "cpuPids")));
        scenarios = Set.copyOf(requireNonNull(scenarios, "scenarios"));
        check(!scenarios.isEmpty() && SCENARIOS.containsAll(scenarios),
              "scenarios: " + String.join(",", new TreeSet<>(scenarios)) + " (expected: some of "
              + String.join(",", SCENARIOS) + ")");
        streamFrames = List.copyOf(requireNonNull(streamFrames, "streamFrames"));
        check(streamFrames.stream().allMatch(size -> size > 0), "stream-frames: " + streamFrames
              + " (expected: sizes > 0)");
        perfEvents = List.copyOf(requireNonNull(perfEvents, "perfEvents"));
        check(rate >= 0, "rate: " + rate + " (expected: calls per second >= 0, 0 for a closed loop)");
        check(direct.isPresent() || gateway.isPresent(), "nothing to do (expected: --direct and/or --gateway)");
    }

    static BenchOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("argument: " + arg + " (expected: --key=value)");
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        Optional<String> direct = Optional.ofNullable(blankToNull(values.remove("direct")));
        Optional<String> gateway = Optional.ofNullable(blankToNull(values.remove("gateway")));
        String function = string(values, "function", "hello-java");
        int concurrency = integer(values, "concurrency", 16);
        Duration warmup = duration(values, "warmup", "5s");
        Duration duration = duration(values, "duration", "15s");
        int rounds = integer(values, "rounds", 2);
        int payloadBytes = integer(values, "payload-bytes", 1024);
        long maxRequests = integer(values, "max-requests", 10_000_000);
        Duration callTimeout = duration(values, "call-timeout", "10s");
        String http = string(values, "http", "h1c");
        Map<String, Long> cpuPids = pids(string(values, "cpu-pids", ""));
        Set<String> scenarios = new LinkedHashSet<>(list(string(values, "scenarios", String.join(",", SCENARIOS))));
        List<Integer> streamFrames = new ArrayList<>();
        for (String size : list(string(values, "stream-frames", "65536,1024"))) {
            try {
                streamFrames.add(Integer.parseInt(size));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stream-frames: " + size + " (expected: a size in bytes)", e);
            }
        }
        List<String> perfEvents = PerfStat.events(string(values, "perf-events", ""));
        int rate = integer(values, "rate", 0);
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option: --" + values.keySet().iterator().next());
        }
        return new BenchOptions(direct, gateway, function, concurrency, warmup, duration, rounds, payloadBytes,
                                maxRequests, callTimeout, http, cpuPids, scenarios, streamFrames,
                                perfEvents, rate);
    }

    /** Whether {@code scenario} (one of {@link #SCENARIOS}) runs. */
    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** The schedule of unary phases, when they are paced ({@code rate} > 0). */
    Optional<Pacing> pacing() {
        return rate == 0 ? Optional.empty() : Optional.of(new Pacing(rate));
    }

    /** "a, b" to [a, b]; "" to []. */
    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** Parses "500ms", "5s" or "5" (seconds). */
    static Duration parseDuration(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                t = t.substring(0, t.length() - 1);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration: " + text + " (expected: 500ms, 5s or 5)", e);
        }
    }

    /** Parses "gateway=123,replica=456"; empty for "". */
    static Map<String, Long> pids(String text) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            try {
                pids.put(entry.substring(0, eq).trim(), Long.parseLong(entry.substring(eq + 1).trim()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cpu-pids: " + text + " (expected: name=pid,name=pid)", e);
            }
        }
        return pids;
    }

    private static Duration duration(Map<String, String> values, String key, String fallback) {
        return parseDuration(string(values, key, fallback));
    }

    private static int integer(Map<String, String> values, String key, int fallback) {
        String value = values.remove(key);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: an integer)", e);
        }
    }

    /** Takes {@code key} out of {@code values}, so that what is left over is unknown. */
    private static String string(Map<String, String> values, String key, String fallback) {
        String value = values.remove(key);
        return value == null ? fallback : value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
