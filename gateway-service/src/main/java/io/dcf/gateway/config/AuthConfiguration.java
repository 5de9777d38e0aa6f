package io.dcf.gateway.config;

import io.dcf.gateway.auth.AccessInterceptor;
import io.dcf.gateway.auth.Authenticator;
import io.dcf.gateway.auth.FunctionAccess;
import io.dcf.gateway.auth.InvokeGuard;
import io.dcf.gateway.auth.GatewayToken;
import io.dcf.gateway.auth.TokenFileWatcher;
import io.dcf.gateway.auth.TokenFiles;
import io.dcf.gateway.backend.EndpointResolver;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
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
    Authenticator authenticator(GatewayProperties props, Optional<HomeLock> homeLock) {
        // homeLock: in local mode the home is locked before a token file is made in it
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
            return Authenticator.of(TokenFiles.read(tokenFile(props).orElseThrow()));
        }
        return Authenticator.of(TokenFiles.readOrCreate(tokenFile(props).orElseThrow()));
    }

    /** Re-reads the token file when it changes (rotation); watches nothing when the token is not in a file. */
    @Bean(destroyMethod = "close")
    TokenFileWatcher tokenFileWatcher(GatewayProperties props, Authenticator authenticator) {
        return tokenFile(props)
                .map(file -> TokenFileWatcher.start(file, props.auth().reloadInterval(), authenticator))
                .orElseGet(TokenFileWatcher::none);
    }

    /**
     * The gateway's token itself, for its own calls to build-service: the configured token, else
     * the token file read at each call (it may rotate); empty when authentication is off.
     */
    static Supplier<Optional<String>> tokenText(GatewayProperties props) {
        if (!props.auth().enabled()) {
            return Optional::empty;
        }
        if (!props.auth().token().isBlank()) {
            Optional<String> token = Optional.of(props.auth().token().strip());
            return () -> token;
        }
        Path file = tokenFile(props).orElseThrow();
        return () -> Optional.of(TokenFiles.secret(file));
    }

    /** The file the token comes from: the configured one, else {@code <home>/token}; empty when not from a file. */
    static Optional<Path> tokenFile(GatewayProperties props) {
        GatewayProperties.Auth auth = props.auth();
        if (!auth.enabled() || !auth.token().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(auth.tokenFile().isBlank() ? props.home().toAbsolutePath().resolve(TOKEN_FILE)
                : Path.of(auth.tokenFile()).toAbsolutePath());
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
