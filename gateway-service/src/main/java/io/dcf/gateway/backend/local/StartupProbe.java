package io.dcf.gateway.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Waits for a starting replica process: polls its port file, then asks its health until
 * it answers SERVING, every 25 ms for the first 400 tries (10 s), then every 500 ms (slow
 * model loads). Gives up quietly once the process is no longer its owner's starting one.
 */
final class StartupProbe {

    /** The process's health answered SERVING. */
    interface Ready {
        void ready(Process p, ReplicaHealth checks, int port);
    }

    private static final long PORT_POLL_MS = 25;
    private static final long HEALTH_POLL_FAST_MS = 25;
    private static final long HEALTH_POLL_SLOW_MS = 500;
    private static final int HEALTH_FAST_TRIES = 400;
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(2);

    private final Process process;
    private final Path portFile;
    private final ScheduledExecutorService scheduler;
    private final Predicate<Process> starting;
    private final BiFunction<Process, Integer, ReplicaHealth> listening;
    private final Ready ready;

    /**
     * {@code starting}: whether the process is still its owner's and still starting;
     * {@code listening}: the process listens on a port: its health checks, or null when it is no longer current.
     */
    StartupProbe(Process process, Path portFile, ScheduledExecutorService scheduler, Predicate<Process> starting,
                 BiFunction<Process, Integer, ReplicaHealth> listening, Ready ready) {
        this.process = process;
        this.portFile = portFile;
        this.scheduler = scheduler;
        this.starting = starting;
        this.listening = listening;
        this.ready = ready;
    }

    void start() {
        pollPort(0);
    }

    private void pollPort(long delayMs) {
        scheduler.schedule(() -> {
            if (!starting.test(process)) {
                return;
            }
            int port = readPort(portFile);
            if (port <= 0) {
                pollPort(PORT_POLL_MS);
                return;
            }
            ReplicaHealth checks = listening.apply(process, port);
            if (checks != null) {
                probe(checks, port, 0);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private void probe(ReplicaHealth checks, int port, int tries) {
        long delayMs = tries == 0 ? 0 : tries < HEALTH_FAST_TRIES ? HEALTH_POLL_FAST_MS : HEALTH_POLL_SLOW_MS;
        scheduler.schedule(() -> {
            if (!starting.test(process)) {
                return;
            }
            checks.servingOnce(PROBE_DEADLINE).thenAccept(serving -> {
                if (serving) {
                    ready.ready(process, checks, port);
                } else {
                    probe(checks, port, tries + 1);
                }
            });
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** The port a watcher wrote to {@code portFile}; -1 while the file is missing, empty or partly written. */
    static int readPort(Path portFile) {
        try {
            String text = Files.readString(portFile, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? -1 : Integer.parseInt(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
