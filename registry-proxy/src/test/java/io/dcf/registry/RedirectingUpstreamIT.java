package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.file.FileService;
import io.dcf.images.testing.LocalRegistry;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that redirects blob downloads to object storage, as S3-backed ones do: real
 * docker-registry with its {@code redirect} storage middleware, the "storage" a static file
 * server over the registry's own data directory. The proxy follows the redirect itself (without
 * the registry's credentials), verifies and caches the blob, and serves it from the cache after.
 */
class RedirectingUpstreamIT {

    @TempDir
    Path dir;

    @Test
    void blobRedirectedToStorage_followedVerifiedCached() throws Exception {
        Path registryDir = Files.createDirectories(dir.resolve("registry"));
        AtomicInteger storageGets = new AtomicInteger();
        Server storage = Server.builder().http(new InetSocketAddress("127.0.0.1", 0))
                .serviceUnder("/", FileService.of(Files.createDirectories(registryDir.resolve("data")))
                        .decorate((delegate, ctx, req) -> {
                            storageGets.incrementAndGet();
                            return delegate.serve(ctx, req);
                        }))
                .build();
        storage.start().join();
        try (LocalRegistry registry = LocalRegistry.start(registryDir, List.of("middleware:", "  storage:",
                "    - name: redirect", "      options:",
                "        baseurl: http://127.0.0.1:" + storage.activeLocalPort() + "/"));
                RegistryProxy proxy = TestProxies.start(registry.host(), dir.resolve("cache"), "1Gi")) {
            byte[] bytes = RegistryProxyIT.random(256 * 1024, 42);
            String digest = Http.pushBlob(registry.host(), "fn/redirected", bytes);
            HttpResponse<byte[]> direct = Http.get("http://" + registry.host() + "/v2/fn/redirected/blobs/" + digest);
            assertThat(direct.statusCode()).as("the registry redirects to its storage").isEqualTo(307);
            assertThat(direct.headers().firstValue("Location")).hasValueSatisfying(
                    l -> assertThat(l).startsWith("http://127.0.0.1:" + storage.activeLocalPort() + "/"));
            String host = "127.0.0.1:" + proxy.port();

            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> pulled = Http.get("http://" + host + "/v2/fn/redirected/blobs/" + digest);
                assertThat(pulled.statusCode()).isEqualTo(200);
                assertThat(pulled.headers().firstValue("Location")).isEmpty();
                assertThat(Http.sha256(pulled.body())).isEqualTo(digest);
            }
            assertThat(storageGets.get()).as("storage read once, by the proxy").isEqualTo(1);
            assertThat(RegistryProxyIT.metric(host, "dcf_registry_proxy_cache_hits_total{kind=\"blob\"}")).isEqualTo(2.0);
        } finally {
            storage.stop().join();
        }
    }
}
