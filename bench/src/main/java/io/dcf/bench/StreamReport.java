package io.dcf.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stream phases as Markdown: every round, the best round per scenario, and gateway/direct per frame size. */
final class StreamReport {

    private StreamReport() {
    }

    static void format(StringBuilder out, List<PhaseResult> streams) {
        out.append("\nStreams (one stream each, frames echoed; latency = send to echo of a frame, ")
           .append("with up to ").append(StreamLoop.MAX_IN_FLIGHT).append(" frames in flight):\n\n");
        table(out, streams, true);
        List<PhaseResult> best = Report.best(streams);
        out.append("\nBest round of each stream scenario (highest frames/s):\n\n");
        table(out, best, false);
        out.append("\n| frame | gateway/direct frames/s |\n|---|---:|\n");
        best.stream().map(PhaseResult::frameBytes).distinct().forEach(size -> {
            Optional<PhaseResult> direct = find(best, "direct stream", size);
            Optional<PhaseResult> gateway = find(best, "gateway stream", size);
            String ratio = direct.isPresent() && gateway.isPresent() && direct.get().requests() > 0
                    ? String.format("%.2fx", gateway.get().requestsPerSecond() / direct.get().requestsPerSecond())
                    : "n/a";
            out.append("| ").append(StreamLoop.sizeName(size)).append(" | ").append(ratio).append(" |\n");
        });
    }

    private static Optional<PhaseResult> find(List<PhaseResult> best, String target, int size) {
        return best.stream().filter(r -> r.frameBytes() == size && r.scenario().startsWith(target)).findFirst();
    }

    private static void table(StringBuilder out, List<PhaseResult> results, boolean withRound) {
        out.append(withRound ? "| round " : "").append("| scenario | frames | frames/s | MiB/s | p50 ms | p99 ms | errors |\n");
        out.append(withRound ? "|---:" : "").append("|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Integer> rounds = new LinkedHashMap<>();
        for (PhaseResult r : results) {
            int round = rounds.merge(r.scenario(), 1, Integer::sum);
            out.append(withRound ? "| " + round + " " : "")
               .append(String.format("| %s | %d | %.0f | %.1f | %.2f | %.2f | %d |%n", r.scenario(), r.requests(),
                       r.requestsPerSecond(), r.mebibytesPerSecond(), r.latencyMillis(50), r.latencyMillis(99),
                       r.errors()));
        }
    }
}
