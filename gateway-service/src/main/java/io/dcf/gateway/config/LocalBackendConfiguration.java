package io.dcf.gateway.config;

import io.dcf.gateway.backend.local.LocalFunctionBackend;
import io.dcf.gateway.backend.local.LocalSettings;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.build.local.CodeLimits;
import io.dcf.gateway.build.local.LocalFunctionBuilder;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The local backend ({@code dcf.gateway.backend=local}, the default): replicas are child
 * processes, DCF_HOME is the store and is locked by one gateway at a time. The backend
 * bean is both the {@code FunctionBackend} and the {@code EndpointResolver}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "dcf.gateway", name = "backend", havingValue = "local", matchIfMissing = true)
class LocalBackendConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LocalBackendConfiguration.class);

    @Bean(destroyMethod = "close")
    HomeLock homeLock(GatewayProperties props) {
        return HomeLock.acquire(props.home().toAbsolutePath());
    }

    /** Stops every replica on shutdown (a new gateway on the same home restores them). */
    @Bean(destroyMethod = "close")
    LocalFunctionBackend localFunctionBackend(GatewayProperties props, HomeLock homeLock) {
        return LocalFunctionBackend.start(LocalBackendSettings.resolve(props,
                GatewayConfiguration.maxMessageBytes(props)));
    }

    /** Builds into DCF_HOME/staging: javac for Java, a venv for Python requirements. */
    @Bean(destroyMethod = "close")
    FunctionBuilder localFunctionBuilder(GatewayProperties props, HomeLock homeLock) {
        GatewayProperties.Local local = props.local();
        return LocalFunctionBuilder.create(props.home().toAbsolutePath(),
                LocalSettings.pythonFinder(local.python(), System.getenv("DCF_PYTHON")),
                new CodeLimits(local.maxCodeSize().toBytes(), local.maxCodeEntries(), local.maxCodeDepth()));
    }

    /** Publishes {@code gateway.pid} once the port serves; removes it and releases the home when it stops. */
    @Bean
    ServingListener homePidFile(HomeLock homeLock) {
        return new ServingListener() {
            @Override
            public void serving(int port) {
                homeLock.publish(port);
            }

            @Override
            public void stopped() {
                try {
                    homeLock.close();
                } catch (IOException e) {
                    log.warn("Cannot release DCF_HOME: {}", e.getMessage());
                }
            }
        };
    }
}
