package io.dcf.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The proxy's meters, scraped at {@code /metrics} (docs/registry-proxy.md, "Metrics"). Tags take
 * only fixed values: {@code kind} (blob, manifest), {@code source} (cache, upstream), {@code reason}.
 */
final class ProxyMetrics {

    static final String PREFIX = "dcf.registry.proxy.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    ProxyMetrics() {
        for (String kind : new String[] {"blob", "manifest"}) {
            counter("cache.hits", "kind", kind);
            counter("cache.misses", "kind", kind);
        }
        counter("cache.evictions");
        counter("served.bytes", "source", "cache");
        counter("served.bytes", "source", "upstream");
        counter("received.bytes");
    }

    MeterRegistry registry() {
        return registry;
    }

    String scrape() {
        return registry.scrape();
    }

    void hit(String kind) {
        counter("cache.hits", "kind", kind).increment();
    }

    void miss(String kind) {
        counter("cache.misses", "kind", kind).increment();
    }

    void eviction() {
        counter("cache.evictions").increment();
    }

    /** {@code source}: {@code cache} or {@code upstream}. */
    void served(String source, long bytes) {
        if (bytes > 0) {
            counter("served.bytes", "source", source).increment(bytes);
        }
    }

    /** Request body bytes received from a client and forwarded upstream (blob and manifest uploads). */
    void received(long bytes) {
        if (bytes > 0) {
            counter("received.bytes").increment(bytes);
        }
    }

    /** {@code reason}: {@code unreachable}, {@code status_5xx}, {@code digest_mismatch}, {@code too_large} or {@code auth}. */
    void upstreamError(String reason) {
        counter("upstream.errors", "reason", reason).increment();
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(PREFIX + name).tags(tags).register(registry);
    }

    void close() {
        registry.close();
    }
}
