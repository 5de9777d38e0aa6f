package io.dcf.gateway.config;

import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.kubernetes.KubernetesBackendSettings;
import io.dcf.gateway.backend.kubernetes.KubernetesClients;
import io.dcf.gateway.backend.kubernetes.KubernetesFunctionBackend;
import io.dcf.gateway.backend.kubernetes.KubernetesSettings;
import io.dcf.gateway.backend.kubernetes.ModelImages;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.build.service.BuildServiceFunctionBuilder;
import io.dcf.gateway.build.service.BuildServiceSettings;
import io.dcf.gateway.build.service.PrebuiltImages;
import io.dcf.proto.v1.Resources;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kubernetes backend ({@code dcf.gateway.backend=kubernetes}): each function is a
 * Deployment and a Service in {@code dcf.gateway.kubernetes.namespace}; the cluster is the
 * store, so nothing is kept under DCF_HOME and no home lock is taken (several gateways
 * may serve the same namespace). Calls go to ready pods found by the backend's Pod informer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "dcf.gateway", name = "backend", havingValue = "kubernetes")
class KubernetesBackendConfiguration {

    /** Stops only the informers and threads on shutdown: running functions are never touched. */
    @Bean(destroyMethod = "close")
    KubernetesFunctionBackend kubernetesFunctionBackend(GatewayProperties props) {
        GatewayProperties.Kubernetes k8s = props.kubernetes();
        KubernetesSettings objects = new KubernetesSettings(k8s.namespace(), props.defaultTimeout(),
                k8s.maxConcurrency(), k8s.drainTimeout(), GatewayConfiguration.maxMessageBytes(props),
                k8s.imagePullSecrets(), k8s.imagePullPolicy(), false, Resources.getDefaultInstance(),
                Resources.getDefaultInstance());
        KubernetesClients clients = KubernetesClients.of(k8s.kubeconfig(), k8s.requestTimeout());
        return KubernetesFunctionBackend.start(new KubernetesBackendSettings(objects, k8s.watcherPort(),
                k8s.readyTimeout(), k8s.watchTimeout(), k8s.ejection()), clients.requests(), clients.streams(),
                modelImages(props));
    }

    /** build-service's AddLayer for update-model, when {@code dcf.gateway.build-service.address} names one. */
    private static Optional<ModelImages> modelImages(GatewayProperties props) {
        return props.buildService().address().isBlank() ? Optional.empty()
                : Optional.of(ModelImages.builderService(buildService(props)));
    }

    private static BuildServiceSettings buildService(GatewayProperties props) {
        GatewayProperties.BuildService build = props.buildService();
        return new BuildServiceSettings(build.address(), build.advertised(), build.timeout(),
                AuthConfiguration.tokenText(props));
    }

    /**
     * build-service when {@code dcf.gateway.build-service.address} names one (source is built into an
     * image); else functions run the image their spec names and source is refused.
     */
    @Bean(destroyMethod = "close")
    FunctionBuilder kubernetesFunctionBuilder(GatewayProperties props) {
        GatewayProperties.BuildService build = props.buildService();
        if (build.address().isBlank()) {
            return new PrebuiltImages();
        }
        return BuildServiceFunctionBuilder.of(buildService(props));
    }

    @Bean
    EndpointResolver kubernetesEndpoints(KubernetesFunctionBackend backend) {
        return backend.endpoints();
    }
}
