package io.dcf.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time used by named processes (the generator itself, and whichever others it is
 * told about, such as the gateway and the replica), read through {@link ProcessHandle}.
 * A process whose CPU time cannot be read is left out. On Linux the machine's busy time
 * ({@code /proc/stat}) is read too, and what no watched process used is reported as
 * "others": other work on the machine that disturbed the measurement.
 */
final class CpuMeter {

    static final String OTHERS = "others";
    private static final String MACHINE = "machine";
    /** USER_HZ: the unit of /proc/stat, 100 on every mainstream Linux. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

    CpuMeter(Map<String, Long> pids) {
        processes.put("generator", ProcessHandle.current());
        pids.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(handle -> processes.put(name, handle)));
    }

    /** CPU nanoseconds used so far, per process. */
    Map<String, Long> snapshot() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        processes.forEach((name, handle) -> {
            Optional<Duration> total = handle.info().totalCpuDuration();
            total.ifPresent(d -> cpu.put(name, d.toNanos()));
        });
        machineBusyNanos().ifPresent(nanos -> cpu.put(MACHINE, nanos));
        return cpu;
    }

    /** What each process used between two snapshots. */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> used = new LinkedHashMap<>();
        after.forEach((name, nanos) -> {
            Long start = before.get(name);
            if (start != null) {
                used.put(name, nanos - start);
            }
        });
        Long machine = used.remove(MACHINE);
        if (machine != null) {
            long watched = used.values().stream().mapToLong(Long::longValue).sum();
            used.put(OTHERS, Math.max(0, machine - watched));
        }
        return used;
    }

    /** Busy CPU time of the whole machine: every field of the "cpu" line but idle and iowait. */
    private static Optional<Long> machineBusyNanos() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) { // user nice system idle iowait irq softirq steal
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return Optional.of(busy * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
