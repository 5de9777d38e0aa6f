package io.dcf.gateway.metrics;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.FunctionStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code gateway_service_count} (replicas wanted) and {@code gateway_service_ready_count}
 * (replicas ready) per function, read from the backend's own memory (its list: the local
 * backend's replica sets, the Kubernetes backend's informers) before each scrape, never by
 * a remote call. Functions no longer listed lose these gauges and their invocation meters.
 */
public final class ServiceGauges {

    private final MeterRegistry registry;
    private final Supplier<List<FunctionStatus>> functions;
    private final InvocationMeters meters;
    private final Map<String, Replicas> known = new ConcurrentHashMap<>();

    public ServiceGauges(MeterRegistry registry, Supplier<List<FunctionStatus>> functions, InvocationMeters meters) {
        this.registry = requireNonNull(registry, "registry");
        this.functions = requireNonNull(functions, "functions");
        this.meters = requireNonNull(meters, "meters");
    }

    /** Reads the backend's list into the gauges. Blocking only as long as the backend's list takes. */
    public synchronized void refresh() {
        Set<String> listed = new HashSet<>();
        for (FunctionStatus status : functions.get()) {
            String name = status.getSpec().getName();
            listed.add(name);
            Replicas replicas = known.computeIfAbsent(name, this::register);
            replicas.wanted.set(status.getReplicas());
            replicas.ready.set(status.getReadyReplicas());
        }
        known.entrySet().removeIf(entry -> {
            if (listed.contains(entry.getKey())) {
                return false;
            }
            registry.remove(entry.getValue().wantedGauge);
            registry.remove(entry.getValue().readyGauge);
            return true;
        });
        meters.retainOnly(listed);
    }

    private Replicas register(String function) {
        Tags tags = Tags.of(FunctionMeters.FUNCTION, function);
        AtomicInteger wanted = new AtomicInteger();
        AtomicInteger ready = new AtomicInteger();
        return new Replicas(wanted, ready,
                Gauge.builder("gateway.service.count", wanted, AtomicInteger::get)
                        .description("Replicas wanted").tags(tags).register(registry),
                Gauge.builder("gateway.service.ready.count", ready, AtomicInteger::get)
                        .description("Replicas ready to serve").tags(tags).register(registry));
    }

    private record Replicas(AtomicInteger wanted, AtomicInteger ready, Gauge wantedGauge, Gauge readyGauge) {
    }
}
