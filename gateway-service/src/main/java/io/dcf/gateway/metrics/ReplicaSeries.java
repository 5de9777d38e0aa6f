package io.dcf.gateway.metrics;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.StatsReply;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The replicas' own counters as meters, one set per replica (docs/metrics.md, "The replicas' own
 * counters"): {@code dcf_replica_inflight}, {@code dcf_replica_max_concurrency},
 * {@code dcf_replica_calls_seconds_count/_sum} and {@code dcf_replica_errors_total}, labelled
 * {@code function_name}, {@code namespace}, {@code pod}. A replica's series exist while it has an
 * answer standing (read live at each scrape); {@link #retain} drops the others. Two replicas under one name (a local
 * replica and its successor during an update) add up. Used by one thread at a time.
 */
final class ReplicaSeries {

    /** One replica's labels. */
    record Key(String function, String namespace, String pod) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Holder> registered = new HashMap<>();

    ReplicaSeries(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    /** Keeps the series of {@code answers}' replicas (each read from its suppliers' last answers); others leave. */
    void retain(Map<Key, List<Supplier<StatsReply>>> answers) {
        registered.entrySet().removeIf(entry -> {
            if (answers.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().meters.forEach(registry::remove);
            return true;
        });
        answers.forEach((key, replies) -> registered.computeIfAbsent(key, this::register).replies = List.copyOf(replies));
    }

    /** Removes every series. */
    void clear() {
        retain(Map.of());
    }

    private Holder register(Key key) {
        Tags tags = Tags.of(FunctionMeters.FUNCTION, key.function(), "namespace", key.namespace(), "pod", key.pod());
        Holder h = new Holder();
        h.meters = List.of(
                Gauge.builder("dcf.replica.inflight", h, sum(StatsReply::getInflight))
                        .description("Calls (and open streams) in flight in the replica, as it reported them")
                        .tags(tags).register(registry),
                Gauge.builder("dcf.replica.max.concurrency", h, sum(StatsReply::getMaxConcurrency))
                        .description("Calls the replica admits at once (its DCF_MAX_CONCURRENCY)")
                        .tags(tags).register(registry),
                FunctionTimer.builder("dcf.replica.calls", h, h2 -> (long) sum(r -> (double) r.getCalls()).applyAsDouble(h2),
                                sum(StatsReply::getLatencySecondsSum), TimeUnit.SECONDS)
                        .description("Calls (and streams) the replica ended since it started, and their time")
                        .tags(tags).register(registry),
                FunctionCounter.builder("dcf.replica.errors", h, sum(r -> (double) r.getErrors()))
                        .description("Calls the replica ended with an error since it started")
                        .tags(tags).register(registry));
        return h;
    }

    private static ToDoubleFunction<Holder> sum(ToDoubleFunction<StatsReply> field) {
        return h -> {
            double total = 0;
            for (Supplier<StatsReply> answer : h.replies) {
                StatsReply reply = answer.get();
                if (reply != null) {
                    total += field.applyAsDouble(reply);
                }
            }
            return total;
        };
    }

    private static final class Holder {
        volatile List<Supplier<StatsReply>> replies = List.of();
        List<Meter> meters;
    }
}
