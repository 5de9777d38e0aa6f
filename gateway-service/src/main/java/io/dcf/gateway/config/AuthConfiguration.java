package io.dcf.gateway.config;

import io.dcf.gateway.auth.AccessInterceptor;
import io.dcf.gateway.auth.Authenticator;
import io.dcf.gateway.auth.FunctionAccess;
import io.dcf.gateway.auth.InvokeGuard;
import io.dcf.gateway.auth.GatewayToken;
import io.dcf.gateway.auth.TokenFiles;
import io.dcf.gateway.backend.EndpointResolver;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires authentication: the gateway's token (configured, or generated into DCF_HOME) and the gRPC access rules. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

    /** The token file of a home when none is configured. */
    static final String TOKEN_FILE = "token";

    @Bean
    Authenticator authenticator(GatewayProperties props, HomeLock homeLock) {
        GatewayProperties.Auth auth = props.auth();
        if (!auth.enabled()) {
            log.warn("AUTHENTICATION IS DISABLED (dcf.gateway.auth.enabled=false): anyone who can reach {}:{} can"
                    + " deploy, change and delete functions, read their logs, and run code as this user",
                    props.bindAddress(), props.port());
            return Authenticator.disabled();
        }
        if (!auth.token().isBlank()) {
            return Authenticator.of(GatewayToken.of(auth.token().strip()));
        }
        if (!auth.tokenFile().isBlank()) {
            return Authenticator.of(TokenFiles.read(Path.of(auth.tokenFile()).toAbsolutePath()));
        }
        return Authenticator.of(TokenFiles.readOrCreate(props.home().toAbsolutePath().resolve(TOKEN_FILE)));
    }

    @Bean
    FunctionAccess functionAccess(EndpointResolver resolver) {
        return new FunctionAccess(resolver);
    }

    @Bean
    AccessInterceptor accessInterceptor(Authenticator authenticator, FunctionAccess functions) {
        return new AccessInterceptor(authenticator, functions);
    }

    @Bean
    InvokeGuard invokeGuard(Authenticator authenticator, FunctionAccess functions) {
        return new InvokeGuard(authenticator, functions);
    }
}
