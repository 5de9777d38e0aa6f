package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstreams that misbehave. The fake registry here is a stand-in for a broken one (it answers
 * a blob with bytes that are not its digest): the one case a real registry cannot show.
 */
class BrokenUpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] GOOD = "the layer as pushed".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger blobGets = new AtomicInteger();

    @RegisterExtension
    static final ServerExtension broken = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.service("prefix:/v2/fn/broken/blobs/", (ctx, req) -> {
                blobGets.incrementAndGet();
                return HttpResponse.of(HttpStatus.OK, MediaType.OCTET_STREAM, "the layer, bit-flipped");
            });
        }
    };

    @TempDir
    Path dir;

    @Test
    void blobNotMatchingItsDigest_notServedNotCached_clientGetsAnError() throws Exception {
        String digest = Http.sha256(GOOD);
        try (RegistryProxy proxy = TestProxies.start("127.0.0.1:" + broken.httpPort(), dir.resolve("cache"), "1Mi")) {
            String host = "127.0.0.1:" + proxy.port();
            for (int i = 1; i <= 2; i++) {
                java.net.http.HttpResponse<byte[]> r = Http.get("http://" + host + "/v2/fn/broken/blobs/" + digest);

                assertThat(r.statusCode()).isEqualTo(502);
                JsonNode error = JSON.readTree(r.body()).path("errors").get(0);
                assertThat(error.path("code").asText()).isEqualTo("DIGEST_INVALID");
                assertThat(error.path("message").asText()).contains(digest).contains("not cached and not served");
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("bit-flipped");
                assertThat(blobGets.get()).as("upstream fetches after %d pulls", i).isEqualTo(i);
            }
            try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
            assertThat(RegistryProxyIT.metric(host,
                    "dcf_registry_proxy_upstream_errors_total{reason=\"digest_mismatch\"}")).isEqualTo(2.0);
        }
    }

    @Test
    void upstreamUnreachable_502NamingTheUpstream() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (RegistryProxy proxy = TestProxies.start("127.0.0.1:" + closed, dir.resolve("cache"), "1Mi")) {
            java.net.http.HttpResponse<byte[]> r = Http.get("http://127.0.0.1:" + proxy.port() + "/v2/");

            assertThat(r.statusCode()).isEqualTo(502);
            JsonNode error = JSON.readTree(r.body()).path("errors").get(0);
            assertThat(error.path("code").asText()).isEqualTo("UNAVAILABLE");
            assertThat(error.path("message").asText()).contains("127.0.0.1:" + closed).contains("unreachable");
        }
    }
}
