package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.proto.v1.ReplicaStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised replica process: started, probed until its health says SERVING,
 * restarted with exponential backoff when it dies, drained and stopped on request.
 */
final class Replica {

    enum State { STARTING, READY, RESTARTING, STOPPING, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(Replica.class);
    private static final Duration STABLE_AFTER = Duration.ofSeconds(10);
    private static final long PORT_POLL_MS = 25;
    /** Health is probed every 25 ms for the first 400 tries (10 s), then every 500 ms (slow model loads). */
    private static final long HEALTH_POLL_FAST_MS = 25;
    private static final long HEALTH_POLL_SLOW_MS = 500;
    private static final int HEALTH_FAST_TRIES = 400;
    /**
     * Replicas run in a session of their own (where setsid exists), so a Ctrl-C at the
     * terminal reaches the gateway, which drains and stops them, and not the replicas.
     */
    private static final List<String> NEW_SESSION =
            Files.isExecutable(Path.of("/usr/bin/setsid")) ? List.of("/usr/bin/setsid") : List.of();

    private final String function;
    private final int index;
    private final long generation;
    private final ReplicaCommand command;
    private final Path logFile;
    private final Path portFile;
    private final LocalSettings settings;
    private final ScheduledExecutorService scheduler;
    private final HealthProber prober;
    private final Runnable onChange;
    private final BooleanSupplier restartsAllowed;
    private final CompletableFuture<Void> firstReady = new CompletableFuture<>();

    private State state = State.STARTING;
    private Process process;
    private String processSecret = "";
    private Endpoint endpoint;
    private int restarts;
    private int failuresInRow;
    private Instant readySince;
    private String message = "";
    private ScheduledFuture<?> pendingRestart;

    Replica(String function, int index, long generation, ReplicaCommand command, Path logFile, Path portFile,
            LocalSettings settings, ScheduledExecutorService scheduler, HealthProber prober, Runnable onChange,
            BooleanSupplier restartsAllowed) {
        this.function = function;
        this.index = index;
        this.generation = generation;
        this.command = command;
        this.logFile = logFile;
        this.portFile = portFile;
        this.settings = settings;
        this.scheduler = scheduler;
        this.prober = prober;
        this.onChange = onChange;
        this.restartsAllowed = restartsAllowed;
    }

    int index() {
        return index;
    }

    /** Completes when the replica first becomes ready; fails if it exits before that. */
    CompletableFuture<Void> firstReady() {
        return firstReady;
    }

    synchronized Endpoint endpoint() {
        return state == State.READY ? endpoint : null;
    }

    synchronized void start() {
        if (state == State.STOPPING || state == State.STOPPED) {
            return;
        }
        state = State.STARTING;
        try {
            Files.deleteIfExists(portFile);
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(portFile.getParent());
            Files.writeString(logFile, "---- " + Instant.now() + " replica " + index + " of " + function
                    + " starting (generation " + generation + ") ----\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> commandLine = new ArrayList<>(NEW_SESSION);
            commandLine.addAll(command.command());
            ProcessBuilder builder = new ProcessBuilder(commandLine)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().clear();
            builder.environment().putAll(command.environment());
            WorkDirs.prepare(command.workDir(), settings.isolation());
            builder.directory(command.workDir().toFile());
            String secret = settings.isolation().secrets() ? ReplicaSecrets.generate() : "";
            Process started = builder.start();
            if (!secret.isEmpty()) {
                ReplicaSecrets.send(started, secret);
            }
            process = started;
            processSecret = secret;
            log.info("Started replica {} of function={} pid={} generation={}", index, function, started.pid(), generation);
            started.onExit().thenAccept(this::exited);
            schedulePortPoll(started, 0);
        } catch (IOException e) {
            message = "cannot start: " + e.getMessage();
            log.warn("Cannot start replica {} of function={}: {}", index, function, e.getMessage());
            scheduleRestart();
        }
    }

    private void schedulePortPoll(Process p, long delayMs) {
        scheduler.schedule(() -> pollPort(p), delayMs, TimeUnit.MILLISECONDS);
    }

    private void pollPort(Process p) {
        if (!isCurrent(p, State.STARTING)) {
            return;
        }
        int port = readPort();
        if (port <= 0) {
            schedulePortPoll(p, PORT_POLL_MS);
            return;
        }
        probe(p, port, 0);
    }

    private void probe(Process p, int port, int tries) {
        long delayMs = tries == 0 ? 0 : tries < HEALTH_FAST_TRIES ? HEALTH_POLL_FAST_MS : HEALTH_POLL_SLOW_MS;
        scheduler.schedule(() -> {
            if (!isCurrent(p, State.STARTING)) {
                return;
            }
            prober.serving(port).thenAccept(serving -> {
                if (serving) {
                    becameReady(p, port);
                } else {
                    probe(p, port, tries + 1);
                }
            });
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private int readPort() {
        try {
            String text = Files.readString(portFile, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? -1 : Integer.parseInt(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void becameReady(Process p, int port) {
        synchronized (this) {
            if (!isCurrent(p, State.STARTING)) {
                return;
            }
            endpoint = new Endpoint("127.0.0.1", port, processSecret);
            state = State.READY;
            readySince = Instant.now();
            message = "";
        }
        log.info("Replica {} of function={} ready on port {}", index, function, port);
        onChange.run(); // into the route first: whoever waits for firstReady may call at once
        firstReady.complete(null);
    }

    private synchronized boolean isCurrent(Process p, State expected) {
        return process == p && state == expected && p.isAlive();
    }

    private void exited(Process p) {
        synchronized (this) {
            if (process != p || state == State.STOPPING || state == State.STOPPED) {
                return;
            }
            boolean wasStable = state == State.READY
                    && Duration.between(readySince, Instant.now()).compareTo(STABLE_AFTER) >= 0;
            failuresInRow = wasStable ? 1 : failuresInRow + 1;
            endpoint = null;
            message = "exited with code " + p.exitValue();
            if (!restartsAllowed.getAsBoolean()) {
                state = State.STOPPED;
                log.info("Replica {} of function={} pid={} {} while the gateway stops", index, function, p.pid(),
                        message);
            } else {
                restarts++;
                log.warn("Replica {} of function={} pid={} {}; restarting", index, function, p.pid(), message);
                scheduleRestart();
            }
        }
        if (!firstReady.isDone()) {
            firstReady.completeExceptionally(new ReplicaFailedException(message, LogFiles.tail(logFile, 20)));
        }
        onChange.run();
    }

    private void scheduleRestart() {
        state = State.RESTARTING;
        long delay = backoffMillis(failuresInRow, settings.backoffMin(), settings.backoffMax());
        pendingRestart = scheduler.schedule(this::start, delay, TimeUnit.MILLISECONDS);
    }

    static long backoffMillis(int failuresInRow, Duration min, Duration max) {
        int shift = Math.max(0, Math.min(failuresInRow - 1, 20));
        return Math.min(max.toMillis(), min.toMillis() << shift);
    }

    /**
     * Takes the replica out of rotation, waits for the gateway's calls in flight to
     * finish (up to the drain timeout), then SIGTERMs the process and waits for it.
     * Blocking.
     */
    void stop() {
        Process p;
        Endpoint draining;
        synchronized (this) {
            if (state == State.STOPPED || state == State.STOPPING) {
                return;
            }
            draining = state == State.READY ? endpoint : null;
            state = State.STOPPING;
            endpoint = null;
            p = process;
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
        }
        onChange.run();
        firstReady.completeExceptionally(new ReplicaFailedException("stopped before it became ready", ""));
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (draining != null && draining.inflight() > 0 && System.nanoTime() < deadline) {
            LockSupport2.parkMillis(10);
        }
        if (p != null) {
            terminate(p);
        }
        synchronized (this) {
            state = State.STOPPED;
        }
        try {
            Files.deleteIfExists(portFile);
        } catch (IOException e) {
            log.debug("Cannot delete {}: {}", portFile, e.getMessage());
        }
    }

    private void terminate(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(settings.drainTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                log.warn("Replica {} of function={} pid={} ignored SIGTERM; killing it", index, function, p.pid());
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.info("Stopped replica {} of function={} pid={}", index, function, p.pid());
    }

    synchronized ReplicaStatus status() {
        ReplicaStatus.Builder s = ReplicaStatus.newBuilder()
                .setIndex(index)
                .setState(state.name())
                .setRestarts(restarts)
                .setMessage(message);
        if (endpoint != null && state == State.READY) {
            s.setEndpoint(endpoint.authority());
        }
        if (process != null && process.isAlive()) {
            s.setPid(process.pid());
        }
        return s.build();
    }
}
