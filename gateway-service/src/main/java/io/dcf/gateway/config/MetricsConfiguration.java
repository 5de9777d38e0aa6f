package io.dcf.gateway.config;

import com.linecorp.armeria.server.HttpService;
import io.dcf.gateway.auth.Authenticator;
import io.dcf.gateway.auth.TokenGuard;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.invoke.WatcherClients;
import io.dcf.gateway.metrics.InvocationMeters;
import io.dcf.gateway.metrics.PrometheusService;
import io.dcf.gateway.metrics.ReplicaStats;
import io.dcf.gateway.metrics.ServiceGauges;
import io.dcf.gateway.scale.ReplicaLoads;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the meters: one Prometheus registry (or, with {@code dcf.gateway.metrics.enabled=false},
 * a registry that keeps nothing), the JVM and process binders, the invocation meters and the
 * {@code /metrics} service.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MetricsConfiguration.class);

    @Bean(destroyMethod = "close")
    MeterRegistry meterRegistry(GatewayProperties props) {
        if (!props.metrics().enabled()) {
            log.info("Metrics are off (dcf.gateway.metrics.enabled=false): no /metrics, no invocation counts");
            return new CompositeMeterRegistry(); // no registry inside: every meter is a no-op
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return registry;
    }

    /** The GC binder listens to GC notifications until closed. */
    @Bean(destroyMethod = "close")
    JvmGcMetrics jvmGcMetrics(MeterRegistry registry) {
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    /** The invocation meters, also told each replica's cold start by the backend. */
    @Bean
    InvocationMeters invocationMeters(MeterRegistry registry, FunctionBackend backend) {
        InvocationMeters meters = new InvocationMeters(registry);
        backend.onColdStart(meters::coldStart);
        return meters;
    }

    /**
     * The replicas' own counters ({@code Watcher/Stats}) every {@code dcf.gateway.metrics.replica-stats-interval},
     * as meters and for the autoscaler; with the interval 0, nothing is asked and the autoscaler counts alone.
     */
    @Bean(destroyMethod = "close")
    ReplicaLoads replicaLoads(EndpointResolver resolver, FunctionBackend backend, MeterRegistry registry,
                              GatewayProperties props) {
        GatewayProperties.Metrics m = props.metrics();
        if (m.replicaStatsInterval().isZero()) {
            log.info("Replica stats are off (dcf.gateway.metrics.replica-stats-interval=0)");
            return new NoReplicaLoads();
        }
        return new ReplicaStats(resolver, () -> backend.list().stream().map(s -> s.getSpec().getName()).toList(),
                new WatcherClients(GatewayConfiguration.maxMessageBytes(props)), registry,
                m.replicaStatsInterval(), m.replicaStatsTimeout()).start();
    }

    /** {@link ReplicaLoads#NONE} as a bean with the {@code close} the other has. */
    private static final class NoReplicaLoads implements ReplicaLoads, AutoCloseable {
        @Override
        public OptionalInt reportedInflight(Endpoint endpoint) {
            return OptionalInt.empty();
        }

        @Override
        public void close() {
        }
    }

    /** {@code GET /metrics}, guarded per {@code dcf.gateway.metrics.auth}; empty when metrics are off. */
    static Optional<HttpService> metricsService(MeterRegistry registry, FunctionBackend backend,
                                                InvocationMeters meters, GatewayProperties props,
                                                Authenticator authenticator) {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            return Optional.empty();
        }
        HttpService service = new PrometheusService(prometheus, new ServiceGauges(registry, backend::list, meters));
        if (!props.metrics().tokenRequired()) {
            return Optional.of(service);
        }
        return Optional.of(service.decorate(new TokenGuard(authenticator,
                "(dcf.gateway.metrics.auth=token: /metrics needs the gateway's token)")));
    }
}
