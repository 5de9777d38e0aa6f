package io.dcf.bench;

import com.linecorp.armeria.client.ClientFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's warm-up: the CPU time it spends per request over the first requests of
 * its life, slice by slice (requests 1-1,000, 1,001-2,000, ...), then warm. Run by
 * {@code bench/gateway-warmup.sh} right after a gateway started and deployed the echo:
 * {@code java -cp dcf-bench.jar io.dcf.bench.FirstRequestsMain --gateway=127.0.0.1:P --gateway-pid=N
 * --protocol=http|grpc}. Prints one Markdown table row per slice to stdout; exits 1 when a
 * call failed, 2 on bad arguments.
 */
public final class FirstRequestsMain {

    static final String USAGE = """
            usage: java -cp dcf-bench.jar io.dcf.bench.FirstRequestsMain --gateway=HOST:PORT --gateway-pid=PID
                   [--protocol=http|grpc] [--function=hello-java] [--slice=1000] [--slices=10]
                   [--warmup=20s] [--warm=20000] [--concurrency=16] [--payload-bytes=1024] [--label=TEXT]""";

    private FirstRequestsMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("first-requests: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        boolean failed = run(options);
        System.exit(failed ? 1 : 0);
    }

    /** Runs the slices, then the warm phase; true when any call failed. */
    private static boolean run(Map<String, String> options) throws InterruptedException {
        String label = options.get("label");
        String protocol = options.get("protocol");
        int slice = positive(options, "slice");
        int slices = positive(options, "slices");
        int concurrency = positive(options, "concurrency");
        byte[] payload = Bench.payload(positive(options, "payload-bytes"));
        Duration timeout = Duration.ofSeconds(30);
        long pid = Long.parseLong(options.get("gateway-pid"));
        CpuMeter cpu = new CpuMeter(Map.of("gateway", pid));
        boolean failed = false;
        try (ClientFactory factory = ClientFactory.builder().build()) {
            Target target = switch (protocol) {
                case "http" -> Target.gatewayHttp(factory, "h1c", options.get("gateway"), options.get("function"),
                                                  payload, timeout);
                case "grpc" -> Target.gatewayGrpc(factory, options.get("gateway"), options.get("function"),
                                                  payload, timeout);
                default -> throw new IllegalArgumentException("protocol: " + protocol + " (expected: http or grpc)");
            };
            ClosedLoop loop = new ClosedLoop(target, concurrency, payload.length, timeout);
            Duration unbounded = Duration.ofMinutes(10);
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < slices; i++) {
                String range = String.format("%,d-%,d", (long) i * slice + 1, (long) (i + 1) * slice);
                failed |= measure(loop, cpu, unbounded, slice, label, protocol, range, rows);
            }
            Duration warmup = Duration.parse("PT" + options.get("warmup").toUpperCase());
            loop.run(warmup, Long.MAX_VALUE);
            int warm = positive(options, "warm");
            failed |= measure(loop, cpu, unbounded, warm, label, protocol,
                              String.format("warm (%,d after %s more)", warm, options.get("warmup")), rows);
            rows.forEach(System.out::println);
        }
        return failed;
    }

    private static boolean measure(ClosedLoop loop, CpuMeter cpu, Duration limit, int requests, String label,
                                   String protocol, String range, List<String> rows) throws InterruptedException {
        Map<String, Long> before = cpu.snapshot();
        PhaseResult result = loop.run(limit, requests).withCpu(CpuMeter.since(before, cpu.snapshot()));
        long calls = Math.max(1, result.requests() + result.errors());
        long gatewayNanos = result.cpuNanos().getOrDefault("gateway", 0L);
        long othersNanos = result.cpuNanos().getOrDefault(CpuMeter.OTHERS, 0L);
        String row = String.format("| %s | %s | %s | %.0f | %.0f | %.1f | %.0f | %d |", label, protocol, range,
                                   gatewayNanos / 1e3 / calls, result.requestsPerSecond(),
                                   result.latencyMillis(99), othersNanos / 1e3 / calls, result.errors());
        rows.add(row);
        System.err.println("first-requests: " + row);
        if (result.errors() > 0) {
            System.err.println("first-requests: first error: " + result.firstError());
        }
        return result.errors() > 0;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(Map.of("protocol", "http", "function", "hello-java",
                "slice", "1000", "slices", "10", "warmup", "20s", "warm", "20000", "concurrency", "16",
                "payload-bytes", "1024", "label", "-"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("not --key=value: " + arg);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        for (String required : List.of("gateway", "gateway-pid")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        for (String number : List.of("gateway-pid", "slice", "slices", "warm", "concurrency", "payload-bytes")) {
            positive(options, number);
        }
        if (!List.of("http", "grpc").contains(options.get("protocol"))) {
            throw new IllegalArgumentException("protocol: " + options.get("protocol") + " (expected: http or grpc)");
        }
        try {
            Duration.parse("PT" + options.get("warmup").toUpperCase());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("warmup: " + options.get("warmup") + " (expected: 20s, 500ms...)");
        }
        return options;
    }

    private static int positive(Map<String, String> options, String key) {
        int value;
        try {
            value = Integer.parseInt(options.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": " + options.get(key) + " (expected: a whole number)");
        }
        if (value <= 0) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: > 0)");
        }
        return value;
    }
}
