package io.dcf.build.kaniko;

import io.dcf.build.BuildServerRoutes;
import io.dcf.build.config.BuildProperties;
import io.dcf.runtimes.RuntimeCatalog;
import io.dcf.runtimes.RuntimeFiles;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kaniko builder, when {@code dcf.build.kaniko.enabled=true}: its context endpoint
 * ({@code GET /contexts/{token}} on build-service's port) and the builder itself, with API
 * clients from client-java's standard search (KUBECONFIG, ~/.kube/config, the pod's service
 * account).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "dcf.build.kaniko", name = "enabled", havingValue = "true")
class KanikoConfiguration {

    @Bean
    BuildContexts buildContexts(BuildProperties props) {
        return BuildContexts.of(props.kaniko().contextTokenTtl());
    }

    @Bean
    BuildServerRoutes kanikoContextRoute(BuildContexts contexts) {
        return server -> server.service(BuildContexts.PATH, contexts.httpService());
    }

    @Bean(destroyMethod = "close")
    KanikoImageBuilder kanikoImageBuilder(BuildProperties props, BuildContexts contexts, RuntimeCatalog catalog)
            throws IOException {
        KanikoSettings settings = props.kaniko();
        return KanikoImageBuilder.create(settings, contexts, client(settings.requestTimeout(), settings.requestTimeout()),
                client(Duration.ZERO, settings.requestTimeout()), catalog, RuntimeFiles.classPathRoot());
    }

    /** A client whose reads time out after {@code read} (zero: never, for followed logs). */
    private static ApiClient client(Duration read, Duration connect) throws IOException {
        ApiClient api = ClientBuilder.standard().setReadTimeout(read).build();
        api.setConnectTimeout((int) connect.toMillis());
        api.setWriteTimeout((int) connect.toMillis());
        return api;
    }
}
