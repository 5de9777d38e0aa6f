package io.dcf.gateway.backend.local;

import io.dcf.gateway.files.Files2;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.LoadRequest;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local backend's warm pool: per runtime (Java, Python), {@code size} generic watcher
 * processes ({@code DCF_POOL=true}) started ahead and waiting. A new replica {@link #take takes}
 * one whose command line is the one a cold start would run, and sends it its Load; the function's
 * code is hard-linked into the process's own directory first (the only one its mount namespace
 * shows, when replicas get one), and the Load names it there. The pool
 * refills in the background, on its own thread (never an event loop). A pooled process that
 * exits before it is taken is replaced, with the replicas' restart back-off while they keep
 * exiting. {@link #close()} stops every process still in the pool. See docs/operations.md,
 * "The warm pool".
 */
final class WarmPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WarmPool.class);
    private static final long PORT_POLL_MS = 25;

    private final LocalSettings settings;
    private final Path dir;
    private final int size;
    private final List<Kind> kinds;
    private final Set<PooledProcess> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dcf-warm-pool");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /** {@code dir}: where pooled processes get their working directories. */
    WarmPool(LocalSettings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
        this.size = settings.warmPool();
        this.kinds = List.of(new Kind(true), new Kind(false));
    }

    /** Starts filling the pool in the background. */
    void start() {
        Files2.deleteTree(dir); // leftovers of a gateway that was killed
        if (size == 0) {
            log.info("Warm pool: off (dcf.gateway.local.warm-pool=0): every replica starts its own process");
            return;
        }
        log.info("Warm pool: {} java and {} python watcher process(es) kept started for new replicas", size, size);
        kinds.forEach(this::refill);
    }

    /** A pooled process a replica took, and the Load that makes it that replica. */
    record Taken(PooledProcess process, LoadRequest load) {
    }

    /**
     * A ready pooled process for a replica of {@code spec} running {@code code} (laid out in
     * {@code generationDir}), now the caller's, with its Load; empty when none is ready or none fits
     * (then the replica starts cold). Blocking (links the code), never on an event loop.
     */
    Optional<Taken> take(FunctionSpec spec, InstalledArtifact code, Path generationDir) {
        Optional<Kind> kind = kindOf(spec);
        if (kind.isEmpty() || size == 0 || closed) {
            return Optional.empty();
        }
        if (kind.get().java && !spec.getEnvironmentMap().isEmpty()) {
            log.debug("Function={} has an environment of its own, which a started JVM cannot take: starting it cold",
                    spec.getName());
            return Optional.empty();
        }
        Optional<PooledProcess> taken = kind.get().take(ReplicaCommand.watcherCommand(spec, code, settings));
        if (taken.isEmpty()) {
            log.debug("Function={}: no warm {} process fits (none ready, or its command line differs, e.g. its own"
                    + " venv); starting it cold", spec.getName(), kind.get().label);
            return Optional.empty();
        }
        refill(kind.get());
        PooledProcess pooled = taken.get();
        Path linked = pooled.workDir().resolve("code");
        try {
            GenerationCopy.link(generationDir, linked);
            Files2.makeReadOnly(linked);
        } catch (UncheckedIOException e) {
            log.warn("Function={}: cannot link its code into warm process {} ({}); starting it cold", spec.getName(),
                    pooled, e.getMessage());
            pooled.process().destroyForcibly();
            return Optional.empty();
        }
        String model = code.model().map(m -> code.functionDir().relativize(m).toString()).orElse("");
        InstalledArtifact moved = InstalledArtifact.of(spec, linked).withModel(model);
        log.debug("Function={} takes warm process {}", spec.getName(), pooled);
        return Optional.of(new Taken(pooled, ReplicaCommand.load(spec, moved, settings)));
    }

    /** The pids of the processes ready in the pool of {@code java}'s runtime (for tests and status). */
    List<Long> readyPids(boolean java) {
        return kinds.get(java ? 0 : 1).readyPids();
    }

    /** The pool of the spec's watcher: Java or Python (none for others, such as Go, which never run locally). */
    private Optional<Kind> kindOf(FunctionSpec spec) {
        return RuntimeCatalog.standard().find(spec.getRuntime()).map(FunctionRuntime::watcher)
                .flatMap(w -> w == FunctionRuntime.Watcher.JAVA ? Optional.of(kinds.get(0))
                        : w == FunctionRuntime.Watcher.PYTHON ? Optional.of(kinds.get(1)) : Optional.empty());
    }

    private void refill(Kind kind) {
        schedule(() -> kind.fill(), 0);
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            executor.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Starts one pooled process of {@code kind} (on the pool's thread); false when it cannot. */
    private boolean spawn(Kind kind) {
        String name = "pool-" + kind.label + "-" + ids.incrementAndGet();
        Path workDir = dir.resolve(name);
        try {
            ReplicaCommand command = ReplicaCommand.pooled(name, kind.java, settings, workDir.resolve("port"), workDir);
            ReplicaLaunch.Launched started = ReplicaLaunch.cold(command, workDir.resolve("watcher.log"),
                    workDir.resolve("port"), settings, name + " starting in the warm pool", "dcf-log-" + name);
            Process process = started.process();
            PooledProcess pooled = new PooledProcess(name, process, started.secret(), started.log(), workDir,
                    ReplicaCommand.pooledWatcher(name, kind.java, settings));
            live.add(pooled);
            process.onExit().thenRun(() -> schedule(() -> exited(kind, pooled), 0));
            pollPort(kind, pooled, System.nanoTime() + settings.readyTimeout().toNanos());
            return true;
        } catch (IOException | RuntimeException e) {
            if (kind.failedToStart()) {
                log.info("Warm pool: cannot start a {} watcher ({}); {} functions start cold until one starts",
                        kind.label, e.getMessage(), kind.label);
            }
            return false;
        }
    }

    private void pollPort(Kind kind, PooledProcess pooled, long deadline) {
        if (closed || !pooled.process().isAlive()) {
            return;
        }
        int port = StartupProbe.readPort(pooled.workDir().resolve("port"));
        if (port > 0) {
            pooled.port(port);
            kind.ready(pooled);
            log.debug("Warm pool: {} ready on port {}", pooled, port);
        } else if (System.nanoTime() - deadline > 0) {
            log.warn("Warm pool: {} did not listen within {}; killing it", pooled, settings.readyTimeout());
            pooled.process().destroyForcibly();
        } else {
            schedule(() -> pollPort(kind, pooled, deadline), PORT_POLL_MS);
        }
    }

    /** A pooled process exited: gone from the pool; replaced (with back-off) unless a replica had it. */
    private void exited(Kind kind, PooledProcess pooled) {
        live.remove(pooled);
        deleteQuietly(pooled.workDir());
        if (pooled.taken() || closed) {
            return;
        }
        int failures = kind.lost(pooled);
        String why = ProcessTermination.describeExit(pooled.process().exitValue());
        long delay = settings.restartDelayMillis(failures);
        if (failures == 1) {
            log.warn("Warm pool: {} {} before any function took it; replacing it (log: {})", pooled, why,
                    pooled.workDir().resolve("watcher.log"));
        } else {
            log.debug("Warm pool: {} {} too ({} in a row); next one in {} ms", pooled, why, failures, delay);
        }
        schedule(() -> kind.fill(), delay);
    }

    /**
     * Stops every process still in the pool (SIGTERM, then SIGKILL past the close margin) and removes
     * the pool's directory; blocking. Called once the replicas stopped: those that took a pooled
     * process have exited, and their working directories (under the pool's) go too.
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS); // a process being started is in live once this returns
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<PooledProcess> left = live.stream().filter(p -> !p.taken()).toList();
        left.forEach(p -> p.process().destroy());
        long now = System.nanoTime();
        left.forEach(p -> ProcessTermination.terminate(p.process(), now, "warm pool process " + p.name()));
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files2.deleteTree(dir);
        } catch (UncheckedIOException e) {
            log.debug("Warm pool: cannot delete {}: {}", dir, e.getMessage());
        }
    }

    /** The pool of one runtime's watcher. */
    private final class Kind {
        final boolean java;
        final String label;
        private final Deque<PooledProcess> ready = new ArrayDeque<>();
        private int starting;
        private int failuresInRow;

        Kind(boolean java) {
            this.java = java;
            this.label = java ? "java" : "python";
        }

        /** Starts processes until {@code size} are ready or starting (on the pool's thread). */
        void fill() {
            while (!closed) {
                synchronized (this) {
                    if (ready.size() + starting >= size) {
                        return;
                    }
                    starting++;
                }
                if (!spawn(this)) {
                    return; // tried again at the next take
                }
            }
        }

        synchronized Optional<PooledProcess> take(List<String> command) {
            for (PooledProcess candidate : ready) {
                if (candidate.command().equals(command) && candidate.process().isAlive()) {
                    ready.remove(candidate);
                    candidate.take();
                    failuresInRow = 0;
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        }

        synchronized void ready(PooledProcess pooled) {
            starting--;
            ready.add(pooled);
        }

        /** A process that could not be started; true the first time in a row (to log it once). */
        synchronized boolean failedToStart() {
            starting--;
            return failuresInRow++ == 0;
        }

        /** {@code pooled} exited before it was taken; returns the failures in a row, this one included. */
        synchronized int lost(PooledProcess pooled) {
            if (!ready.remove(pooled)) {
                starting--; // it never got ready
            }
            return ++failuresInRow;
        }

        synchronized List<Long> readyPids() {
            return ready.stream().map(p -> p.process().pid()).toList();
        }
    }
}
