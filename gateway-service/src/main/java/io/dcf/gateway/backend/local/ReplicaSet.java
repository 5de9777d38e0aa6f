package io.dcf.gateway.backend.local;

import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.FunctionStatus;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts, scales, rolls and stops the replicas of local functions. Blocking methods. */
final class ReplicaSet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSet.class);

    private final LocalSettings settings;
    private final FunctionStore store;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService stopper;
    private volatile boolean shuttingDown;
    private final BiConsumer<String, Duration> coldStarted;
    private final WarmPool pool;

    ReplicaSet(LocalSettings settings, FunctionStore store, BiConsumer<String, Duration> coldStarted, WarmPool pool) {
        this.settings = settings;
        this.store = store;
        this.coldStarted = coldStarted;
        this.pool = pool;
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "dcf-replicas-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger m = new AtomicInteger();
        this.stopper = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dcf-replica-stop-" + m.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts or stops replicas until {@code count} exist; returns the ones started. */
    List<Replica> scaleTo(LocalFunction fn, int count) {
        List<Replica> current = fn.replicas();
        Set<Integer> used = current.stream().map(Replica::index).collect(Collectors.toSet());
        List<Replica> started = new ArrayList<>();
        for (int index = 0; used.size() + started.size() < count; index++) {
            if (!used.contains(index)) {
                started.add(startReplica(fn, index));
            }
        }
        List<Replica> surplus = current.stream().sorted((a, b) -> b.index() - a.index())
                                       .limit(Math.max(0, current.size() - count)).toList();
        stop(fn, surplus);
        return started;
    }

    /**
     * Waits until one of {@code started} is ready. Returns quietly when the ready
     * timeout passes (slow loaders stay "Not Ready"); fails when every one exited first.
     */
    void awaitFirstReady(String function, List<Replica> started) {
        if (started.isEmpty()) {
            return;
        }
        CompletableFuture<Void> any = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        for (Replica r : started) {
            r.firstReady().whenComplete((ok, error) -> {
                if (error == null) {
                    any.complete(null);
                } else if (failures.incrementAndGet() == started.size()) {
                    any.completeExceptionally(error);
                }
            });
        }
        if (!awaitReady(function, any)) {
            log.info("Function={} not ready after {}; it keeps starting in the background", function,
                    settings.readyTimeout());
        }
    }

    /**
     * Replaces every replica with one running {@code record}'s spec and {@code code},
     * one at a time: start the new one, wait until it is ready, then drain and stop the
     * old one. If the first new replica fails, everything is put back as it was.
     */
    void rollOut(LocalFunction fn, FunctionStatus record, InstalledArtifact code) {
        FunctionStatus oldRecord = fn.record();
        InstalledArtifact oldCode = fn.code();
        List<Replica> old = fn.replicas();
        fn.record(record);
        fn.code(code);
        for (int index = 0; index < record.getReplicas(); index++) {
            Replica fresh = startReplica(fn, index);
            try {
                if (!awaitReady(fn.name(), fresh.firstReady())) {
                    throw new DcfException(Status.Code.DEADLINE_EXCEEDED, "function " + fn.name()
                            + ": the new version did not become ready within "
                            + settings.readyTimeout().toSeconds() + " s");
                }
            } catch (DcfException e) {
                if (index == 0) {
                    stop(fn, List.of(fresh));
                    fn.record(oldRecord);
                    fn.code(oldCode);
                    throw e;
                }
                log.warn("Replica {} of function={} did not become ready during the update: {}", index, fn.name(),
                        e.getMessage());
            }
            int replaced = index;
            stop(fn, old.stream().filter(r -> r.index() == replaced).toList());
        }
        stop(fn, old.stream().filter(r -> r.index() >= record.getReplicas()).toList());
    }

    /**
     * Waits up to the ready timeout for {@code ready}: true when it completed, false when
     * the time ran out; fails with the replica's exit and log when it failed.
     */
    private boolean awaitReady(String function, CompletableFuture<Void> ready) {
        try {
            ready.get(settings.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw failedToStart(function, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcfException(Status.Code.ABORTED, "interrupted while waiting for function " + function
                    + " to start");
        }
    }

    private static DcfException failedToStart(String function, Throwable cause) {
        String detail = cause.getMessage();
        if (cause instanceof ReplicaFailedException failed && !failed.logTail().isBlank()) {
            detail += "; last log lines:\n" + failed.logTail();
        }
        return new DcfException(Status.Code.FAILED_PRECONDITION, "function " + function
                + " failed to start: replica " + detail);
    }

    /** Stops every replica of the function, in parallel. */
    void stopAll(LocalFunction fn) {
        stop(fn, fn.replicas());
    }

    /** Stops every replica of every function, in parallel, restarting none that exits meanwhile. */
    void stopAll(Collection<LocalFunction> functions) {
        shuttingDown = true;
        CompletableFuture.allOf(functions.stream()
                .map(fn -> CompletableFuture.runAsync(() -> stopAll(fn), stopper))
                .toArray(CompletableFuture[]::new)).join();
    }

    private void stop(LocalFunction fn, List<Replica> replicas) {
        CompletableFuture.allOf(replicas.stream()
                .map(r -> CompletableFuture.runAsync(() -> {
                    r.stop();
                    fn.remove(r);
                }, stopper)).toArray(CompletableFuture[]::new)).join();
    }

    private Replica startReplica(LocalFunction fn, int index) {
        FunctionStatus record = fn.record();
        String name = fn.name();
        Path workDir = store.runDir(name).resolve("replica-" + index);
        Path portFile = workDir.resolve("port-" + System.nanoTime());
        InstalledArtifact code = fn.code();
        ReplicaCommand command = ReplicaCommand.of(record.getSpec(), code, settings, portFile,
                store.functionDir(name), workDir);
        Path generationDir = store.generationDir(name, record.getGeneration());
        Replica.WarmStart warm = () -> pool.take(record.getSpec(), code, generationDir);
        Replica replica = new Replica(name, index, record.getGeneration(), command,
                LogFiles.file(store.logDir(name), index), portFile, settings, scheduler, fn::refresh,
                () -> !shuttingDown, warm);
        fn.add(replica);
        long started = System.nanoTime();
        replica.start();
        replica.firstReady().thenRun(() -> coldStarted.accept(name, Duration.ofNanos(System.nanoTime() - started)));
        return replica;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        stopper.shutdownNow();
    }
}
