package io.dcf.registry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Proxies for tests: in this JVM, on an ephemeral port of 127.0.0.1, with their own cache directory. */
final class TestProxies {

    private TestProxies() {
    }

    static RegistryProxy start(String upstreamHost, Path cacheDir, String cacheMaxBytes, String... more) {
        Properties p = new Properties();
        p.setProperty("dcf.proxy.upstream", "http://" + upstreamHost);
        p.setProperty("dcf.proxy.port", "0");
        p.setProperty("dcf.proxy.cache-dir", cacheDir.toString());
        p.setProperty("dcf.proxy.cache-max-bytes", cacheMaxBytes);
        p.setProperty("dcf.proxy.upstream-timeout", "2m");
        for (int i = 0; i + 1 < more.length; i += 2) {
            p.setProperty("dcf.proxy." + more[i], more[i + 1]);
        }
        return RegistryProxy.start(ProxySettings.from(Map.of(), p));
    }
}
