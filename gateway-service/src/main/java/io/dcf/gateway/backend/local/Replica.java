package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.proto.v1.LoadRequest;
import io.dcf.proto.v1.ReplicaStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised replica process: started, probed until its health says SERVING,
 * then kept in or out of rotation by {@link ReplicaHealth}, restarted with exponential
 * backoff when it dies, drained and stopped on request. Its first start takes a process
 * from the {@link WarmPool} when one fits, and sends it its Load; restarts start cold.
 */
final class Replica {

    enum State { STARTING, READY, NOT_READY, EJECTED, RESTARTING, STOPPING, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(Replica.class);
    private static final Duration STABLE_AFTER = Duration.ofSeconds(10);

    private final String function;
    private final int index;
    private final long generation;
    private final ReplicaCommand command;
    private final Path logFile;
    private final Path portFile;
    private final LocalSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Runnable onChange;
    private final BooleanSupplier restartsAllowed;
    private final WarmStart warm;
    private final CompletableFuture<Void> firstReady = new CompletableFuture<>();

    private State state = State.STARTING;
    private Process process;
    private String processSecret = "";
    private Endpoint endpoint;
    private int restarts;
    private int failuresInRow;
    private Instant readySince;
    private String message = "";
    /** Why the process last exited, kept as the message of a READY replica; empty before any exit. */
    private String lastExit = "";
    private ScheduledFuture<?> pendingRestart;
    private ReplicaHealth health;
    private boolean warmTried;

    /** How a replica's first start may skip the process's start: a pooled process that fits, or none. */
    interface WarmStart extends Supplier<Optional<WarmPool.Taken>> {
    }

    Replica(String function, int index, long generation, ReplicaCommand command, Path logFile, Path portFile,
            LocalSettings settings, ScheduledExecutorService scheduler, Runnable onChange,
            BooleanSupplier restartsAllowed, WarmStart warm) {
        this.function = function;
        this.index = index;
        this.generation = generation;
        this.command = command;
        this.logFile = logFile;
        this.portFile = portFile;
        this.settings = settings;
        this.scheduler = scheduler;
        this.onChange = onChange;
        this.restartsAllowed = restartsAllowed;
        this.warm = warm;
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
        if (!warmTried) {
            warmTried = true;
            Optional<WarmPool.Taken> pooled = warm.get();
            if (pooled.isPresent()) {
                adopt(pooled.get().process(), pooled.get().load());
                return;
            }
        }
        try {
            ReplicaLaunch.Launched started = ReplicaLaunch.cold(command, logFile, portFile, settings,
                    "replica " + index + " of " + function + " starting (generation " + generation + ")",
                    "dcf-log-" + function + "-" + index);
            launched(started, "");
            new StartupProbe(started.process(), portFile, scheduler, q -> isCurrent(q, State.STARTING),
                    this::watchHealth, this::becameReady).start();
        } catch (IOException e) {
            message = "cannot start: " + e.getMessage();
            log.warn("Cannot start replica {} of function={}: {}", index, function, e.getMessage());
            scheduleRestart();
        }
    }

    private void launched(ReplicaLaunch.Launched started, String how) {
        process = started.process();
        processSecret = started.secret();
        log.info("Started replica {} of function={} pid={} generation={}{}", index, function, process.pid(),
                generation, how);
        process.onExit().thenAccept(this::exited);
    }

    /** Makes {@code pooled} this replica; {@link LoadProbe} sends it its Load and makes it ready. */
    private void adopt(PooledProcess pooled, LoadRequest load) {
        launched(ReplicaLaunch.warm(pooled, logFile, "replica " + index + " of " + function
                + " starting from the warm pool (" + pooled + ", generation " + generation + ")"), " from the warm pool");
        new LoadProbe(pooled, load, settings, scheduler, q -> isCurrent(q, State.STARTING), this::watchHealth,
                this::becameReady, "Replica " + index + " of function=" + function).start();
    }

    /** The port of {@code p} is known: its health checks from now on, or null when {@code p} is gone. */
    private ReplicaHealth watchHealth(Process p, int port) {
        ReplicaHealth checks = new ReplicaHealth(port, settings.health(), scheduler, (verdict, why) -> healthChanged(p, verdict, why));
        synchronized (this) {
            if (!isCurrent(p, State.STARTING)) {
                checks.close();
                return null;
            }
            health = checks;
            return checks;
        }
    }

    private void becameReady(Process p, ReplicaHealth checks, int port) {
        synchronized (this) {
            if (!isCurrent(p, State.STARTING)) {
                return;
            }
            endpoint = new Endpoint("127.0.0.1", port, processSecret, Endpoint.LOCAL, Integer.toString(index));
            state = State.READY;
            readySince = Instant.now();
            message = lastExit;
            checks.watch();
        }
        log.info("Replica {} of function={} ready on port {}", index, function, port);
        onChange.run(); // into the route first: whoever waits for firstReady may call at once
        firstReady.complete(null);
    }

    /** The health checks' verdict on process {@code p}: in rotation (READY) or out (NOT_READY, EJECTED). */
    private void healthChanged(Process p, ReplicaHealth.Verdict verdict, String why) {
        synchronized (this) {
            if (process != p || !inService()) {
                return;
            }
            state = State.valueOf(verdict.name());
            message = verdict == ReplicaHealth.Verdict.READY ? lastExit : why;
        }
        if (verdict == ReplicaHealth.Verdict.READY) {
            log.info("Replica {} of function={} pid={} back in rotation", index, function, p.pid());
        } else {
            log.warn("Replica {} of function={} pid={} {}", index, function, p.pid(), why);
        }
        onChange.run();
    }

    /** Takes the replica out of rotation if {@code e} is its endpoint and it is READY (passive ejection). */
    void eject(Endpoint e, String reason) {
        ReplicaHealth checks;
        synchronized (this) {
            if (e != endpoint || state != State.READY) {
                return;
            }
            checks = health;
        }
        checks.eject(reason);
    }

    private boolean inService() {
        return state == State.READY || state == State.NOT_READY || state == State.EJECTED;
    }

    private void closeHealth() {
        if (health != null) {
            health.close();
            health = null;
        }
    }

    private synchronized boolean isCurrent(Process p, State expected) {
        return process == p && state == expected && p.isAlive();
    }

    private void exited(Process p) {
        synchronized (this) {
            if (process != p || state == State.STOPPING || state == State.STOPPED) {
                return;
            }
            boolean wasStable = inService()
                    && Duration.between(readySince, Instant.now()).compareTo(STABLE_AFTER) >= 0;
            failuresInRow = wasStable ? 1 : failuresInRow + 1;
            endpoint = null;
            closeHealth();
            message = ProcessTermination.describeExit(p.exitValue());
            lastExit = message;
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
        pendingRestart = scheduler.schedule(this::start, settings.restartDelayMillis(failuresInRow),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the replica out of rotation, waits for the gateway's calls in flight to
     * finish (up to the drain timeout), then SIGTERMs the process and waits for it,
     * SIGKILLing it once the drain timeout (plus a margin to close) has passed. Blocking.
     */
    void stop() {
        Process p;
        Endpoint draining;
        synchronized (this) {
            if (state == State.STOPPED || state == State.STOPPING) {
                return;
            }
            draining = endpoint;
            state = State.STOPPING;
            endpoint = null;
            closeHealth();
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
            ProcessTermination.terminate(p, deadline, "replica " + index + " of function=" + function);
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

    synchronized ReplicaStatus status() {
        ReplicaStatus.Builder s = ReplicaStatus.newBuilder()
                .setIndex(index)
                .setName(Integer.toString(index))
                .setState(state.name())
                .setRestarts(restarts)
                .setMessage(message);
        if (endpoint != null) {
            s.setEndpoint(endpoint.authority());
        }
        if (process != null && process.isAlive()) {
            s.setPid(process.pid());
        }
        return s.build();
    }
}
