package io.dcf.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Formats results as Markdown tables: every round, the best round per scenario, and gateway/direct ratios. */
final class Report {

    static final String DIRECT = "direct gRPC";

    private Report() {
    }

    static String format(BenchOptions options, List<PhaseResult> all) {
        List<PhaseResult> results = all.stream().filter(r -> !r.isStream()).toList();
        List<PhaseResult> streams = all.stream().filter(PhaseResult::isStream).toList();
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s%d in flight, %d-byte payload, %d ms warm-up + %d ms measured per phase, "
                                 + "%d round(s); JVM %s, %d CPUs%n%n",
                options.rate() > 0 ? "unary calls paced at " + options.rate() + "/s, at most " : "",
                options.concurrency(), options.payloadBytes(), options.warmup().toMillis(),
                options.duration().toMillis(), options.rounds(), Runtime.version(),
                Runtime.getRuntime().availableProcessors()));
        if (!results.isEmpty()) {
            out.append("Every round:\n\n");
            table(out, results, true);
            List<PhaseResult> best = best(results);
            out.append("\nBest round of each scenario (highest req/s):\n\n");
            table(out, best, false);
            out.append("\n");
            ratios(out, best);
            cpu(out, best, "request");
            perf(out, best, "request");
        }
        if (!streams.isEmpty()) {
            StreamReport.format(out, streams);
            cpu(out, best(streams), "echoed frame");
            perf(out, best(streams), "echoed frame");
        }
        firstErrors(out, all);
        return out.toString();
    }

    /** Per scenario, in first-run order, the phase with the highest throughput. */
    static List<PhaseResult> best(List<PhaseResult> results) {
        Map<String, PhaseResult> best = new LinkedHashMap<>();
        for (PhaseResult result : results) {
            best.merge(result.scenario(), result,
                       (a, b) -> b.requestsPerSecond() > a.requestsPerSecond() ? b : a);
        }
        return new ArrayList<>(best.values());
    }

    private static void table(StringBuilder out, List<PhaseResult> results, boolean withRound) {
        out.append(withRound ? "| round " : "").append("| scenario | requests | req/s | p50 ms | p99 ms | errors |\n");
        out.append(withRound ? "|---:" : "").append("|---|---:|---:|---:|---:|---:|\n");
        Map<String, Integer> rounds = new LinkedHashMap<>();
        for (PhaseResult r : results) {
            int round = rounds.merge(r.scenario(), 1, Integer::sum);
            out.append(withRound ? "| " + round + " " : "")
               .append(String.format("| %s | %d | %.0f | %.2f | %.2f | %d |%n", r.scenario(), r.requests(),
                                     r.requestsPerSecond(), r.latencyMillis(50), r.latencyMillis(99), r.errors()));
        }
    }

    private static void ratios(StringBuilder out, List<PhaseResult> best) {
        Optional<PhaseResult> direct = best.stream().filter(r -> r.scenario().equals(DIRECT)).findFirst();
        if (direct.isEmpty() || direct.get().requests() == 0) {
            out.append("No direct gRPC baseline: no ratios.\n");
            return;
        }
        PhaseResult d = direct.get();
        out.append("Gateway against direct gRPC (a watcher serves no HTTP, so direct HTTP is N/A and gateway HTTP "
                   + "is compared with direct gRPC):\n\n");
        out.append("| via gateway | throughput (gateway/direct) | p50 overhead | p99 overhead |\n");
        out.append("|---|---:|---:|---:|\n");
        best.stream().filter(r -> !r.scenario().equals(DIRECT)).sorted(Comparator.comparing(PhaseResult::scenario))
            .forEach(g -> out.append(String.format("| %s | %.2fx | %s | %s |%n", g.scenario(),
                    g.requestsPerSecond() / d.requestsPerSecond(),
                    overhead(g.latencyMillis(50), d.latencyMillis(50)),
                    overhead(g.latencyMillis(99), d.latencyMillis(99)))));
    }

    /** CPU time per successful request by process, and how busy all the CPUs were. */
    private static void cpu(StringBuilder out, List<PhaseResult> best, String unit) {
        List<String> processes = best.stream().flatMap(r -> r.cpuNanos().keySet().stream()).distinct().toList();
        if (processes.isEmpty()) {
            return;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        out.append("\nCPU time per ").append(unit).append(", microseconds (same rounds; others = the rest of the machine; busy = ")
           .append("all of it over ").append(cpus).append(" CPUs x the phase):\n\n| scenario |");
        processes.forEach(p -> out.append(' ').append(p).append(" |"));
        out.append(" total | busy |\n|---|").append("---:|".repeat(processes.size() + 2)).append('\n');
        for (PhaseResult r : best) {
            long requests = Math.max(1, r.requests() + r.errors());
            out.append("| ").append(r.scenario()).append(" |");
            long total = 0;
            for (String p : processes) {
                Long nanos = r.cpuNanos().get(p);
                total += nanos == null ? 0 : nanos;
                out.append(nanos == null ? " n/a |" : String.format(" %.0f |", nanos / 1e3 / requests));
            }
            out.append(String.format(" %.0f | %.0f%% |%n", total / 1e3 / requests,
                                     100.0 * total / ((double) r.elapsedNanos() * cpus)));
        }
    }

    /** perf's counts per call by process and event (task-clock in microseconds), when perf counted. */
    private static void perf(StringBuilder out, List<PhaseResult> best, String unit) {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (PhaseResult r : best) {
            r.perf().forEach((process, counts) -> counts.keySet().forEach(event -> {
                List<String> events = columns.computeIfAbsent(process, p -> new ArrayList<>());
                if (!events.contains(event)) {
                    events.add(event);
                }
            }));
        }
        if (columns.isEmpty()) {
            return;
        }
        out.append("\nperf stat per ").append(unit).append(" (same rounds, over the phase and a 0.5 s settle before it):\n\n")
           .append("| scenario |");
        columns.forEach((process, events) -> events.forEach(e -> out.append(' ').append(process).append(' ')
                .append(PerfStat.label(e)).append(" |")));
        out.append("\n|---|").append("---:|".repeat(columns.values().stream().mapToInt(List::size).sum())).append('\n');
        for (PhaseResult r : best) {
            double calls = Math.max(1, r.perfCalls());
            out.append("| ").append(r.scenario()).append(" |");
            columns.forEach((process, events) -> events.forEach(e -> {
                Double count = r.perf().getOrDefault(process, Map.of()).get(e);
                double scale = e.equals("task-clock") ? 1e3 : 1; // perf reports milliseconds
                out.append(count == null ? " n/a |" : String.format(" %.1f |", count * scale / calls));
            }));
            out.append('\n');
        }
    }

    static String overhead(double gateway, double direct) {
        if (Double.isNaN(gateway) || Double.isNaN(direct) || direct <= 0) {
            return "n/a";
        }
        return String.format("%+.2f ms (%.2fx)", gateway - direct, gateway / direct);
    }

    private static void firstErrors(StringBuilder out, List<PhaseResult> results) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (PhaseResult r : results) {
            if (r.firstError() != null) {
                errors.putIfAbsent(r.scenario(), r.firstError());
            }
        }
        if (!errors.isEmpty()) {
            out.append("\nFirst error per scenario:\n");
            errors.forEach((scenario, error) -> out.append("- ").append(scenario).append(": ").append(error).append('\n'));
        }
    }
}
