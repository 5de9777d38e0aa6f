package io.dcf.gateway.scale;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.error.BackendUnavailableException;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.error.RetryLaterException;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where calls to an autoscaled function wait while it has no ready replica (scale from zero):
 * one bounded FIFO queue per function. A waiting call is a future, completed with the route
 * when the resolver says a replica is ready ({@link EndpointResolver#onRouteChange}: no polling),
 * in arrival order and no more at once than the replicas' free slots ({@code replicaConcurrency}
 * each), so a burst does not meet the replica's concurrency limit; the rest follow as the released
 * calls finish ({@link #done}). While calls wait, new calls queue behind them. Past the bound: 429
 * / RESOURCE_EXHAUSTED; past the timeout: 503 with Retry-After / UNAVAILABLE. Never blocks.
 */
public final class ActivationQueues implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActivationQueues.class);
    /** What a caller whose wait timed out is told to wait before trying again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final EndpointResolver resolver;
    private final int capacity;
    private final Duration timeout;
    private final int replicaConcurrency;
    private final ScheduledExecutorService timer;
    private final ConcurrentMap<String, ArrayDeque<Waiter>> queues = new ConcurrentHashMap<>();
    private final List<Consumer<String>> waitingListeners = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<String, Duration> waited = (function, wait) -> { };

    private static final class Waiter {
        final CompletableFuture<Route> future = new CompletableFuture<>();
        final long since = System.nanoTime();
        ScheduledFuture<?> expiry;
    }

    public ActivationQueues(EndpointResolver resolver, int capacity, Duration timeout, int replicaConcurrency) {
        this.resolver = requireNonNull(resolver, "resolver");
        this.timeout = requireNonNull(timeout, "timeout");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        if (replicaConcurrency < 1) {
            throw new IllegalArgumentException("replicaConcurrency: " + replicaConcurrency + " (expected: >= 1)");
        }
        this.capacity = capacity;
        this.replicaConcurrency = replicaConcurrency;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dcf-activation-timer");
            t.setDaemon(true);
            return t;
        });
        resolver.onRouteChange(this::dispatch);
    }

    /** Calls {@code listener} with the function's name when a call starts waiting (the autoscaler wakes it). */
    public void onWaiting(Consumer<String> listener) {
        waitingListeners.add(requireNonNull(listener, "listener"));
    }

    /** Tells {@code meter} how long each released call waited (the queue-wait metric). */
    public void onWaited(BiConsumer<String, Duration> meter) {
        this.waited = requireNonNull(meter, "meter");
    }

    /**
     * Whether a call must go through {@link #await}: the function is autoscaled and has no ready
     * replica, or calls already wait (they go first). One map read when replicas are ready.
     */
    public boolean mustWait(String function, Route route) {
        if (!route.endpoints().isEmpty()) {
            ArrayDeque<Waiter> queue = queues.get(function);
            if (queue == null) {
                return false;
            }
            synchronized (queue) {
                if (queue.isEmpty()) {
                    return false;
                }
            }
        }
        return ScaleSpecs.autoscaled(route.spec());
    }

    /**
     * Queues a call: the future completes with a route holding a ready replica, or fails (paused,
     * queue full, timed out, function deleted). Pair a completed one with {@link #done}.
     */
    public CompletableFuture<Route> await(String function, Route route) {
        if (ScaleSpecs.paused(route.spec())) {
            return CompletableFuture.failedFuture(new BackendUnavailableException("function " + function
                    + " is paused (scale.max 0): set scale.max above 0 with dcf function update, or pin a count with"
                    + " dcf function scale " + function + " --replicas N"));
        }
        ArrayDeque<Waiter> queue = queues.computeIfAbsent(function, f -> new ArrayDeque<>());
        Waiter waiter = new Waiter();
        synchronized (queue) {
            if (queue.size() >= capacity) {
                return CompletableFuture.failedFuture(new DcfException(Status.Code.RESOURCE_EXHAUSTED, "function "
                        + function + ": " + capacity + " calls already wait for a replica (dcf.gateway.autoscaler"
                        + ".queue-size); try again later"));
            }
            waiter.expiry = timer.schedule(() -> expire(function, queue, waiter), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            queue.addLast(waiter);
        }
        for (Consumer<String> listener : waitingListeners) {
            listener.accept(function);
        }
        dispatch(function); // a replica may have become ready since the caller looked
        return waiter.future;
    }

    /** A call released by this queue finished: its slot is free for the next waiting call. */
    public void done(String function) {
        if (queued(function) > 0) {
            dispatch(function);
        }
    }

    /** Calls of {@code function} waiting now. */
    public int queued(String function) {
        ArrayDeque<Waiter> queue = queues.get(function);
        if (queue == null) {
            return 0;
        }
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Offers every queue's calls to its replicas again (the autoscaler's tick: a safety net, not the wake-up). */
    public void dispatchAll() {
        queues.keySet().forEach(this::dispatch);
    }

    /** Releases as many waiting calls, in order, as the function's ready replicas have free slots. */
    void dispatch(String function) {
        ArrayDeque<Waiter> queue = queues.get(function);
        if (queue == null) {
            return;
        }
        Route route;
        try {
            route = resolver.route(function);
        } catch (FunctionNotFoundException e) {
            failAll(function, queue, e);
            return;
        }
        // Under the lock: released calls start in arrival order, and as they take their slot at once
        // (the caller's continuation runs in complete()), the next dispatcher counts them.
        synchronized (queue) {
            for (Endpoint endpoint : route.endpoints()) {
                Route one = new Route(route.spec(), List.of(endpoint)); // the call goes where the slot is
                int free = replicaConcurrency - endpoint.inflight();
                while (free > 0 && !queue.isEmpty()) {
                    if (release(function, queue.pollFirst(), one)) {
                        free--;
                    }
                }
            }
        }
    }

    private boolean release(String function, Waiter waiter, Route route) {
        waiter.expiry.cancel(false);
        if (waiter.future.isDone()) {
            return false;
        }
        waited.accept(function, Duration.ofNanos(System.nanoTime() - waiter.since));
        return waiter.future.complete(route);
    }

    private void expire(String function, ArrayDeque<Waiter> queue, Waiter waiter) {
        synchronized (queue) {
            queue.remove(waiter);
        }
        Duration wait = Duration.ofNanos(System.nanoTime() - waiter.since);
        if (waiter.future.completeExceptionally(new RetryLaterException("function " + function
                + " has no ready replica after waiting " + timeout.toMillis() + " ms for one to start"
                + " (dcf.gateway.autoscaler.activation-timeout); try again later", RETRY_AFTER))) {
            waited.accept(function, wait);
            log.debug("Call to function={} gave up waiting for a replica after {} ms", function, wait.toMillis());
        }
    }

    private void failAll(String function, ArrayDeque<Waiter> queue, RuntimeException error) {
        synchronized (queue) {
            queue.forEach(w -> {
                w.expiry.cancel(false);
                w.future.completeExceptionally(error);
            });
            queue.clear();
        }
        queues.remove(function, queue);
    }

    /** Fails every waiting call (the gateway stops) and stops the timer. */
    @Override
    public void close() {
        queues.forEach((function, queue) -> failAll(function, queue,
                new BackendUnavailableException("the gateway is shutting down")));
        timer.shutdownNow();
    }
}
