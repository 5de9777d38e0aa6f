package io.dcf.gateway.config;

import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.metrics.InvocationMeters;
import io.dcf.gateway.scale.ActivationQueues;
import io.dcf.gateway.scale.Autoscaler;
import io.dcf.gateway.scale.AutoscalerSettings;
import io.dcf.gateway.scale.DeciderSettings;
import io.dcf.gateway.scale.ReplicaLoads;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the autoscaler ({@code dcf.gateway.autoscaler.*}, docs/autoscaling.md): the queue where
 * calls wait for a replica, and the loop that scales functions with a {@code scale} spec.
 */
@Configuration(proxyBeanMethods = false)
class AutoscalerConfiguration {

    @Bean(destroyMethod = "close")
    ActivationQueues activationQueues(EndpointResolver resolver, InvocationMeters meters, GatewayProperties props) {
        GatewayProperties.Autoscaler a = props.autoscaler();
        ActivationQueues queues = new ActivationQueues(resolver, a.queueSize(), a.activationTimeout(),
                replicaConcurrency(props));
        queues.onWaited(meters::queueWait);
        return queues;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "dcf.gateway.autoscaler.enabled", havingValue = "true", matchIfMissing = true)
    Autoscaler autoscaler(FunctionBackend backend, EndpointResolver resolver, ActivationQueues queues,
                          InvocationMeters meters, ReplicaLoads replicaLoads, GatewayProperties props) {
        GatewayProperties.Autoscaler a = props.autoscaler();
        DeciderSettings decider = new DeciderSettings(a.stableWindow(), a.panicWindow(), a.panicThreshold(),
                a.maxScaleUpRate(), a.maxScaleDownRate());
        return new Autoscaler(backend, resolver, queues, meters::count, replicaLoads,
                new AutoscalerSettings(a.tick(), decider, a.targetInflight(), props.maxReplicas())).start();
    }

    /** The calls one replica admits at once, as the backend in use tells its replicas. */
    static int replicaConcurrency(GatewayProperties props) {
        return "kubernetes".equals(props.backend()) ? props.kubernetes().maxConcurrency()
                                                    : props.local().maxConcurrency();
    }
}
