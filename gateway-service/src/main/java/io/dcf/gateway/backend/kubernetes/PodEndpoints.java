package io.dcf.gateway.backend.kubernetes;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes from the informers' caches: a function's spec from its Deployment, its ready
 * pods' IP:port as endpoints. Routes are recomputed when the informers report a change,
 * so {@link #route} is one map read: no API or DNS lookup per call. An endpoint is keyed
 * by its pod's uid and IP and stays the same object while that pod serves (in-flight
 * counts live on it). {@link #eject} keeps an endpoint out for a fixed time.
 */
final class PodEndpoints implements EndpointResolver {

    private static final Logger log = LoggerFactory.getLogger(PodEndpoints.class);

    private final FunctionInformers informers;
    private final int port;
    private final Duration ejection;
    private final ScheduledExecutorService timer;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    /** Per function: pod uid/IP -> endpoint. Guarded by this. */
    private final Map<String, Map<String, Endpoint>> endpoints = new HashMap<>();
    /** Endpoint -> System.nanoTime() until which it stays out. Guarded by this. */
    private final Map<Endpoint, Long> ejected = new HashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, Duration>> coldStartListeners = new CopyOnWriteArrayList<>();
    /** Pods ready before this (the gateway's start) are not cold starts it saw. */
    private final OffsetDateTime watchingSince = OffsetDateTime.now();

    PodEndpoints(FunctionInformers informers, int port, Duration ejection, ScheduledExecutorService timer) {
        this.informers = informers;
        this.port = port;
        this.ejection = ejection;
        this.timer = timer;
        informers.onChange(this::update);
    }

    @Override
    public void onRouteChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Calls {@code listener} with the function and its pod's creation-to-Ready time when a new pod serves. */
    void onColdStart(BiConsumer<String, Duration> listener) {
        coldStartListeners.add(listener);
    }

    /** Recomputes the route, then tells the listeners (outside the lock). */
    private void update(String function) {
        List<Duration> coldStarts = refresh(function);
        coldStarts.forEach(d -> coldStartListeners.forEach(l -> l.accept(function, d)));
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(function);
            } catch (RuntimeException e) {
                log.warn("Route listener failed for function={}: {}", function, e.toString());
            }
        }
    }

    @Override
    public Route route(String function) {
        Route route = routes.get(function);
        if (route == null) {
            throw new FunctionNotFoundException(function);
        }
        return route;
    }

    @Override
    public void eject(String function, Endpoint endpoint, String reason) {
        synchronized (this) {
            Map<String, Endpoint> current = endpoints.getOrDefault(function, Map.of());
            if (!current.containsValue(endpoint)) {
                return; // stale: its pod is gone already
            }
            ejected.put(endpoint, System.nanoTime() + ejection.toNanos());
        }
        log.warn("Ejected function={} endpoint={} for {} s: {}", function, endpoint, ejection.toSeconds(), reason);
        update(function);
        timer.schedule(() -> update(function), ejection.toMillis() + 1, TimeUnit.MILLISECONDS);
    }

    /** Recomputes one function's route from the caches; returns the cold starts of pods new in it. */
    synchronized List<Duration> refresh(String function) {
        Optional<V1Deployment> deployment = informers.deployment(function);
        Optional<FunctionSpec> spec = deployment.flatMap(PodEndpoints::spec);
        if (spec.isEmpty()) {
            routes.remove(function);
            Map<String, Endpoint> gone = endpoints.remove(function);
            if (gone != null) {
                gone.values().forEach(ejected::remove);
            }
            return List.of();
        }
        List<Duration> coldStarts = new ArrayList<>();
        Map<String, Endpoint> previous = endpoints.getOrDefault(function, Map.of());
        Map<String, Endpoint> current = new HashMap<>();
        List<Endpoint> serving = new ArrayList<>();
        long now = System.nanoTime();
        for (V1Pod pod : informers.pods(function)) {
            if (!PodStates.ready(pod)) {
                continue;
            }
            String ip = pod.getStatus().getPodIP();
            String key = pod.getMetadata().getUid() + "/" + ip;
            Endpoint endpoint = previous.get(key);
            if (endpoint == null) {
                endpoint = new Endpoint(ip, port, "", Objects.requireNonNullElse(pod.getMetadata().getNamespace(), ""),
                        pod.getMetadata().getName());
                PodStates.coldStart(pod).filter(d -> PodStates.readySince(pod).map(watchingSince::isBefore).orElse(false))
                        .ifPresent(coldStarts::add);
            }
            current.put(key, endpoint);
            Long until = ejected.get(endpoint);
            if (until != null && until - now > 0) {
                continue;
            }
            ejected.remove(endpoint);
            serving.add(endpoint);
        }
        previous.values().stream().filter(e -> !current.containsValue(e)).forEach(ejected::remove);
        endpoints.put(function, current);
        routes.put(function, new Route(spec.get(), serving));
        return coldStarts;
    }

    private static Optional<FunctionSpec> spec(V1Deployment deployment) {
        try {
            return Optional.of(FunctionRecord.read(deployment).getSpec());
        } catch (RuntimeException e) {
            log.warn("Not routing to Deployment {}: {}", deployment.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }
}
