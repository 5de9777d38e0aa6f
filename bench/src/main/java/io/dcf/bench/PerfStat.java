package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the watched processes asked of the kernel during a phase: one
 * {@code perf stat -x, -e EVENTS -p PID} per process, started before the phase and stopped
 * with SIGINT after it (perf then prints its counts). Steadier than throughput on a shared
 * machine: a system call or a context switch per call is the same whatever else runs.
 * A process perf cannot count (no perf, no permission) is left out, with a line on stderr.
 */
final class PerfStat {

    /** System calls, futex calls (thread hand-offs), context switches and CPU time. */
    static final List<String> DEFAULT_EVENTS = List.of("raw_syscalls:sys_enter", "syscalls:sys_enter_futex",
            "context-switches", "task-clock");

    private final List<String> events;
    private final Map<String, Long> pids;

    PerfStat(List<String> events, Map<String, Long> pids) {
        this.events = List.copyOf(requireNonNull(events, "events"));
        this.pids = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(pids, "pids")));
    }

    /** perf counting every watched process from now until {@link Counting#stop()}. */
    Counting start() {
        Map<String, Attached> attached = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                Path out = Files.createTempFile("dcf-bench-perf-", ".csv");
                Process perf = new ProcessBuilder("perf", "stat", "-x", ",", "-e", String.join(",", events),
                        "-p", Long.toString(pid))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(out.toFile())
                        .start();
                attached.put(name, new Attached(perf, out));
            } catch (IOException e) {
                System.err.println("dcf-bench: perf stat of " + name + " (pid " + pid + ") not started: "
                                   + e.getMessage());
            }
        });
        return new Counting(attached);
    }

    /** perf processes counting one phase. */
    static final class Counting {
        private final Map<String, Attached> attached;

        private Counting(Map<String, Attached> attached) {
            this.attached = attached;
        }

        /** Stops every perf and returns its counts by process, then by event. */
        Map<String, Map<String, Double>> stop() throws InterruptedException {
            for (Attached a : attached.values()) {
                signal(a.perf);
            }
            Map<String, Map<String, Double>> counts = new LinkedHashMap<>();
            for (Map.Entry<String, Attached> entry : attached.entrySet()) {
                Attached a = entry.getValue();
                if (!a.perf.waitFor(10, TimeUnit.SECONDS)) {
                    a.perf.destroyForcibly();
                }
                try {
                    List<String> lines = Files.readAllLines(a.out, StandardCharsets.UTF_8);
                    Map<String, Double> parsed = parse(lines);
                    if (parsed.isEmpty()) {
                        System.err.println("dcf-bench: perf stat of " + entry.getKey() + " counted nothing: "
                                           + String.join(" / ", lines));
                    } else {
                        counts.put(entry.getKey(), parsed);
                    }
                    Files.deleteIfExists(a.out);
                } catch (IOException e) {
                    System.err.println("dcf-bench: perf stat of " + entry.getKey() + " unreadable: " + e.getMessage());
                }
            }
            return counts;
        }

        private static void signal(Process perf) throws InterruptedException {
            try { // SIGINT: perf prints its counts and exits (Process.destroy sends SIGTERM, which it dies of)
                new ProcessBuilder("kill", "-INT", Long.toString(perf.pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                perf.destroy();
            }
        }
    }

    /**
     * perf's CSV lines ({@code value,unit,event,...}) to counts by event; lines without a number
     * ({@code <not counted>}, {@code <not supported>}, perf's own messages) are skipped.
     */
    static Map<String, Double> parse(List<String> lines) {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length < 3) {
                continue;
            }
            try {
                counts.put(fields[2], Double.parseDouble(fields[0]));
            } catch (NumberFormatException e) {
                // not a count
            }
        }
        return counts;
    }

    /** Short column names for the report. */
    static String label(String event) {
        return switch (event) {
            case "raw_syscalls:sys_enter" -> "syscalls";
            case "syscalls:sys_enter_futex" -> "futex";
            case "context-switches" -> "ctx sw";
            case "task-clock" -> "task-clock us";
            default -> event.startsWith("syscalls:sys_enter_") ? event.substring("syscalls:sys_enter_".length()) : event;
        };
    }

    private record Attached(Process perf, Path out) {
    }

    /** The default events, or those of {@code --perf-events}. */
    static List<String> events(String option) {
        if (option.equals("default")) {
            return DEFAULT_EVENTS;
        }
        List<String> events = new ArrayList<>();
        for (String event : option.split(",")) {
            if (!event.isBlank()) {
                events.add(event.trim());
            }
        }
        return events;
    }
}
