package io.dcf.registry;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: {@code /v2/} (the OCI Distribution API, forwarded and cached),
 * {@code /metrics} (Prometheus text) and {@code /healthz}. {@link #close()} stops the server and
 * closes the upstream client.
 */
final class RegistryProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistryProxy.class);
    private static final MediaType PROMETHEUS = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

    private final Server server;
    private final Upstream upstream;
    private final ProxyMetrics metrics;

    private RegistryProxy(Server server, Upstream upstream, ProxyMetrics metrics) {
        this.server = server;
        this.upstream = upstream;
        this.metrics = metrics;
    }

    /** Starts a proxy with {@code settings}; an {@link IllegalArgumentException} names a setting that cannot work. */
    static RegistryProxy start(ProxySettings settings) {
        requireNonNull(settings, "settings");
        Optional<RegistryCredentials> credentials = settings.credentialsFile()
                .map(file -> RegistryCredentials.read(file, settings.upstream()));
        ProxyMetrics metrics = new ProxyMetrics();
        BlobCache cache = settings.cacheMaxBytes() == 0 ? null : openCache(settings, metrics);
        Upstream upstream = Upstream.create(settings, credentials);
        ServerBuilder sb = Server.builder()
                .http(new InetSocketAddress(bindAddress(settings.bindAddress()), settings.port()))
                // Blobs stream through with no length limit; the upstream deadline bounds each exchange.
                .maxRequestLength(0)
                .meterRegistry(metrics.registry())
                .requestTimeout(settings.upstreamTimeout().plus(settings.connectTimeout()));
        configureServices(sb, new ProxyService(upstream, cache, metrics, settings.upstreamTimeout()), metrics);
        Server server = sb.build();
        try {
            server.start().join();
        } catch (RuntimeException e) {
            upstream.close();
            throw new IllegalArgumentException(ProxySettings.name("port") + ": cannot listen on "
                    + settings.bindAddress() + ":" + settings.port() + " (" + e.getCause() + ")");
        }
        log.info("registry-proxy listening on {}:{}, upstream {}, {}; cache {} (at most {} bytes)",
                settings.bindAddress(), server.activeLocalPort(), settings.upstream(),
                credentials.map(c -> "credentials of " + c.username()).orElse("no credentials"),
                settings.cacheDir(), settings.cacheMaxBytes());
        return new RegistryProxy(server, upstream, metrics);
    }

    static void configureServices(ServerBuilder sb, ProxyService proxy, ProxyMetrics metrics) {
        sb.serviceUnder("/v2/", proxy)
                .service("/healthz", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ok\n"))
                .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK, PROMETHEUS, metrics.scrape()));
    }

    int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
        upstream.close();
        metrics.close();
        log.info("registry-proxy stopped");
    }

    private static BlobCache openCache(ProxySettings settings, ProxyMetrics metrics) {
        try {
            return BlobCache.open(settings.cacheDir(), settings.cacheMaxBytes(), metrics);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(ProxySettings.name("cache-dir") + ": " + settings.cacheDir()
                    + " cannot be used (" + e + ")");
        }
    }

    private static InetAddress bindAddress(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ProxySettings.name("bind-address") + ": '" + address
                    + "' (expected: an IP address such as 127.0.0.1 or 0.0.0.0)");
        }
    }
}
