package io.dcf.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the registry proxy with settings from system properties and the environment
 * (docs/registry-proxy.md, "Settings"); a bad setting stops it at start with one line naming it
 * (exit status 2). Stops cleanly on SIGTERM.
 */
public final class RegistryProxyMain {

    private static final Logger log = LoggerFactory.getLogger(RegistryProxyMain.class);

    private RegistryProxyMain() {
    }

    public static void main(String[] args) {
        RegistryProxy proxy;
        try {
            proxy = RegistryProxy.start(ProxySettings.from(System.getenv(), System.getProperties()));
        } catch (IllegalArgumentException e) {
            log.error("registry-proxy cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "registry-proxy-shutdown"));
    }
}
