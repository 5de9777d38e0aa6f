package io.dcf.common;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs tasks one after another, in the order they were given, on another executor: a task never
 * runs concurrently with the one before it, nor overtakes it (a stream's half-close, delivered
 * right after its last message, must not overtake that message's write). A task that throws does
 * not stop the ones after it. No thread of its own: nothing to close.
 */
public final class SerialExecutor implements Executor {

    private final Executor executor;
    private final Object order = new Object();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    public SerialExecutor(Executor executor) {
        this.executor = requireNonNull(executor, "executor");
    }

    @Override
    public void execute(Runnable task) {
        requireNonNull(task, "task");
        synchronized (order) {
            tail = tail.exceptionally(e -> null).thenRunAsync(task, executor);
        }
    }
}
