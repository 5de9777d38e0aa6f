package io.dcf.gateway.metrics;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.invoke.WatcherClients;
import io.dcf.gateway.scale.ReplicaLoads;
import io.dcf.proto.v1.StatsReply;
import io.dcf.proto.v1.StatsRequest;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every ready replica for its own counters ({@code dcf.v1.Watcher/Stats}, with the replica
 * secret, through {@link WatcherClients}' pooled connections) every {@code interval}, and when a
 * route changes (a new replica is asked at once; one that left drops its series then). Each ask is
 * asynchronous with its own deadline, one at a time per replica, so a slow or dead replica holds
 * up nobody; the one scheduler thread only walks the routes (read from memory) and the meters.
 * The answers feed {@link ReplicaSeries} and, as {@link ReplicaLoads}, the autoscaler.
 */
public final class ReplicaStats implements ReplicaLoads, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaStats.class);
    /** An answer older than this many intervals no longer counts as the replica's load. */
    private static final int FRESH_INTERVALS = 3;

    private final EndpointResolver resolver;
    private final Supplier<? extends Collection<String>> functions;
    private final WatcherClients clients;
    private final Duration interval;
    private final Duration timeout;
    private final ReplicaSeries series;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentMap<Endpoint, Polled> polled = new ConcurrentHashMap<>();

    /** One replica being asked; its answer is written by the transport's callback, read by anyone. */
    private static final class Polled implements Supplier<StatsReply> {
        final String function;
        final AtomicBoolean asking = new AtomicBoolean();
        volatile StatsReply reply;
        volatile long answeredAtNanos;

        Polled(String function) {
            this.function = function;
        }

        @Override
        public StatsReply get() {
            return reply;
        }
    }

    /**
     * @param functions the deployed functions' names, read from the backend's memory
     * @param interval  how often every replica is asked
     * @param timeout   each ask's deadline
     */
    public ReplicaStats(EndpointResolver resolver, Supplier<? extends Collection<String>> functions,
                        WatcherClients clients, MeterRegistry registry, Duration interval, Duration timeout) {
        this.resolver = requireNonNull(resolver, "resolver");
        this.functions = requireNonNull(functions, "functions");
        this.clients = requireNonNull(clients, "clients");
        this.interval = requireNonNull(interval, "interval");
        this.timeout = requireNonNull(timeout, "timeout");
        this.series = new ReplicaSeries(registry);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dcf-replica-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts asking: now, every interval, and on each route change. */
    public ReplicaStats start() {
        resolver.onRouteChange(function -> run(() -> refresh(function)));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                pollAll();
            } catch (RuntimeException e) {
                log.warn("Replica stats poll failed: {}", e.toString());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Replica stats every {} ms (deadline {} ms)", interval.toMillis(), timeout.toMillis());
        return this;
    }

    @Override
    public OptionalInt reportedInflight(Endpoint endpoint) {
        Polled p = polled.get(endpoint);
        StatsReply reply = p == null ? null : p.reply;
        if (reply == null || System.nanoTime() - p.answeredAtNanos > interval.toNanos() * FRESH_INTERVALS) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(reply.getInflight());
    }

    private void pollAll() {
        Set<String> listed = new HashSet<>(functions.get());
        polled.values().removeIf(p -> !listed.contains(p.function));
        for (String function : listed) {
            ask(function);
        }
        syncSeries();
    }

    private void refresh(String function) {
        ask(function);
        syncSeries();
    }

    /** Forgets the function's replicas that left its route and asks the others. */
    private void ask(String function) {
        List<Endpoint> endpoints;
        try {
            endpoints = resolver.route(function).endpoints();
        } catch (FunctionNotFoundException e) {
            endpoints = List.of();
        }
        Set<Endpoint> live = Set.copyOf(endpoints);
        polled.entrySet().removeIf(e -> e.getValue().function.equals(function) && !live.contains(e.getKey()));
        for (Endpoint endpoint : endpoints) {
            ask(endpoint, polled.computeIfAbsent(endpoint, e -> new Polled(function)));
        }
    }

    private void ask(Endpoint endpoint, Polled p) {
        if (!p.asking.compareAndSet(false, true)) {
            return; // the last ask has not ended yet (its deadline ends it)
        }
        boolean first = p.reply == null;
        clients.stub(endpoint).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .stats(StatsRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(StatsReply reply) {
                        p.answeredAtNanos = System.nanoTime();
                        p.reply = reply;
                        if (first) {
                            run(ReplicaStats.this::syncSeries); // a new replica's series need not wait an interval
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        p.asking.set(false);
                        log.debug("Replica stats of function={} replica={} failed: {}", p.function, endpoint, t.toString());
                        if (p.reply != null) {
                            p.reply = null;
                            run(ReplicaStats.this::syncSeries);
                        }
                    }

                    @Override
                    public void onCompleted() {
                        p.asking.set(false);
                    }
                });
    }

    private void syncSeries() {
        Map<ReplicaSeries.Key, List<Supplier<StatsReply>>> answers = new HashMap<>();
        polled.forEach((endpoint, p) -> {
            if (p.reply != null) {
                answers.computeIfAbsent(new ReplicaSeries.Key(p.function, endpoint.namespace(), endpoint.name()),
                        k -> new ArrayList<>()).add(p);
            }
        });
        series.retain(answers);
    }

    /** Runs {@code task} on the scheduler thread; nothing once closed. */
    private void run(Runnable task) {
        try {
            scheduler.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("Replica stats update failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Stops asking and removes the series (asks under way end by their deadline). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        polled.clear();
        series.clear();
    }
}
