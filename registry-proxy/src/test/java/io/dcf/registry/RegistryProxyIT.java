package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.JibContainer;
import io.dcf.images.FunctionImages;
import io.dcf.images.JavaFunction;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy between real clients and a real registry (docker-registry on an ephemeral port), with
 * a {@link CountingForwarder} between proxy and registry to count what reaches the upstream.
 */
class RegistryProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static LocalRegistry registry;
    private static CountingForwarder upstream;
    private static RegistryProxy proxy;
    private static String host;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        upstream = new CountingForwarder(registry.host());
        proxy = TestProxies.start(upstream.host(), dir.resolve("cache"), "1Gi");
        host = "127.0.0.1:" + proxy.port();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void helloJava_pushedWithJibThroughProxy_readBackByDigest_secondPullFromCache() throws Exception {
        Path classes = compileHelloJava(dir.resolve("hello-java-classes"));
        String base = "tar://" + Images.tinyBase(Files.createDirectories(dir.resolve("base")));
        JibContainer pushed = Images.push(FunctionImages.java(base, JavaFunction.of(classes)), host,
                "fn/hello-java:1", dir.resolve("jib-cache"));
        assertThat(upstream.count("PUT", "/v2/fn/hello-java/manifests/1")).isEqualTo(1);
        assertThat(upstream.count("PATCH", "/v2/fn/hello-java/blobs/uploads/")
                + upstream.count("PUT", "/v2/fn/hello-java/blobs/uploads/")).isPositive();

        long blobGetsBefore = upstream.count("GET", "/v2/fn/hello-java/blobs/");
        PushedImage image = new PushedImage(host, "fn/hello-java", "1");
        List<String> digests = new ArrayList<>();
        digests.add(image.manifest.path("config").path("digest").asText());
        image.manifest.path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
        assertThat(image.layer(1)).containsKey("/dcf/function/classes/Handler.class");
        for (String digest : digests) {
            byte[] blob = Http.get("http://" + host + "/v2/fn/hello-java/blobs/" + digest).body();
            assertThat(Http.sha256(blob)).isEqualTo(digest);
        }
        String manifestDigest = pushed.getDigest().toString();
        assertThat(pullManifest(manifestDigest)).isEqualTo(manifestDigest);
        long blobGetsFirstPull = upstream.count("GET", "/v2/fn/hello-java/blobs/");
        assertThat(blobGetsFirstPull - blobGetsBefore).isEqualTo(digests.size());
        long manifestGets = upstream.count("GET", "/v2/fn/hello-java/manifests/");
        double hits = metric("dcf_registry_proxy_cache_hits_total{kind=\"blob\"}");

        // The second pull: by tag (upstream, once) and by digest; every blob from the cache.
        new PushedImage(host, "fn/hello-java", "1");
        for (String digest : digests) {
            byte[] blob = Http.get("http://" + host + "/v2/fn/hello-java/blobs/" + digest).body();
            assertThat(Http.sha256(blob)).isEqualTo(digest);
        }
        assertThat(pullManifest(manifestDigest)).isEqualTo(manifestDigest);
        assertThat(upstream.count("GET", "/v2/fn/hello-java/blobs/")).isEqualTo(blobGetsFirstPull);
        assertThat(upstream.count("GET", "/v2/fn/hello-java/manifests/" + manifestDigest)).isEqualTo(1);
        assertThat(upstream.count("GET", "/v2/fn/hello-java/manifests/")).isEqualTo(manifestGets + 1);
        // PushedImage read the config once more.
        assertThat(metric("dcf_registry_proxy_cache_hits_total{kind=\"blob\"}")).isEqualTo(hits + digests.size() + 1);
    }

    @Test
    void concurrentPullsOfOneUncachedBlob_oneUpstreamFetch() throws Exception {
        byte[] bytes = random(3 << 20, 7);
        String digest = Http.pushBlob(registry.host(), "fn/concurrent", bytes);
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> pulls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Callable<String> pull = () -> {
                    go.await();
                    HttpResponse<byte[]> r = Http.get("http://" + host + "/v2/fn/concurrent/blobs/" + digest);
                    assertThat(r.statusCode()).isEqualTo(200);
                    return Http.sha256(r.body());
                };
                pulls.add(pool.submit(pull));
            }
            go.countDown();
            for (Future<String> pull : pulls) {
                assertThat(pull.get(2, TimeUnit.MINUTES)).isEqualTo(digest);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(upstream.count("GET", "/v2/fn/concurrent/blobs/" + digest)).isEqualTo(1);
    }

    @Test
    void cacheAtItsBound_evictsTheLeastRecentlyUsedBlob() throws Exception {
        List<String> blobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            blobs.add(Http.pushBlob(registry.host(), "fn/lru", random(1000, 100 + i)));
        }
        String a = blobs.get(0);
        String b = blobs.get(1);
        String c = blobs.get(2);
        String d = blobs.get(3);
        try (RegistryProxy small = TestProxies.start(upstream.host(), dir.resolve("small-cache"), "3000")) {
            String smallHost = "127.0.0.1:" + small.port();
            for (String digest : List.of(a, b, c, a, d)) {
                HttpResponse<byte[]> r = Http.get("http://" + smallHost + "/v2/fn/lru/blobs/" + digest);
                assertThat(Http.sha256(r.body())).isEqualTo(digest);
            }
            // a was used again after b, so b was the least recently used when d came in.
            assertThat(Files.exists(dir.resolve("small-cache/blobs/" + b.replace(':', '/')))).isFalse();
            for (String digest : List.of(a, c, d)) {
                assertThat(dir.resolve("small-cache/blobs/" + digest.replace(':', '/'))).exists();
            }
            assertThat(metric(smallHost, "dcf_registry_proxy_cache_evictions_total")).isEqualTo(1.0);
            assertThat(metric(smallHost, "dcf_registry_proxy_cache_size_bytes")).isEqualTo(3000.0);

            Http.get("http://" + smallHost + "/v2/fn/lru/blobs/" + b);
            assertThat(upstream.count("GET", "/v2/fn/lru/blobs/" + a)).isEqualTo(1);
            assertThat(upstream.count("GET", "/v2/fn/lru/blobs/" + b)).isEqualTo(2);
            assertThat(upstream.count("GET", "/v2/fn/lru/blobs/" + d)).isEqualTo(1);
        }
    }

    @Test
    void uploadSession_locationPointsBackAtTheProxy() throws Exception {
        HttpResponse<byte[]> started = Http.CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://" + host + "/v2/fn/upload/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(started.statusCode()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("http://" + host + "/v2/fn/upload/blobs/uploads/");
        // The whole upload through the proxy: the blob then reads back from the registry itself.
        byte[] bytes = "through the proxy".getBytes(StandardCharsets.UTF_8);
        double received = metric("dcf_registry_proxy_received_bytes_total");
        String digest = Http.pushBlob(host, "fn/upload", bytes);
        assertThat(Http.get("http://" + registry.host() + "/v2/fn/upload/blobs/" + digest).body()).isEqualTo(bytes);
        // Counted when the request's log completes, which may be just after the client has its answer.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                metric("dcf_registry_proxy_received_bytes_total")).isEqualTo(received + bytes.length));
    }

    @Test
    void unknownBlob_registrysOwn404AndErrorPassThrough_notCached() throws Exception {
        String missing = "sha256:" + "0".repeat(64);
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> r = Http.get("http://" + host + "/v2/fn/hello-java/blobs/" + missing);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(r.body()).path("errors").get(0).path("code").asText()).isEqualTo("BLOB_UNKNOWN");
        }
        assertThat(upstream.count("GET", "/v2/fn/hello-java/blobs/" + missing)).isEqualTo(2);
    }

    @Test
    void ping_andHealth() throws Exception {
        HttpResponse<byte[]> ping = Http.get("http://" + host + "/v2/");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
        assertThat(Http.get("http://" + host + "/healthz").statusCode()).isEqualTo(200);
    }

    private static String pullManifest(String digest) throws Exception {
        HttpResponse<byte[]> r = Http.get("http://" + host + "/v2/fn/hello-java/manifests/" + digest,
                "Accept", "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        JsonNode manifest = JSON.readTree(r.body());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(manifest.path("mediaType").asText()));
        return Http.sha256(r.body());
    }

    static double metric(String hostAndPort, String series) throws Exception {
        String text = new String(Http.get("http://" + hostAndPort + "/metrics").body(), StandardCharsets.UTF_8);
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError(series + " not in /metrics:\n" + text));
    }

    private static double metric(String series) throws Exception {
        return metric(host, series);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Path compileHelloJava(Path out) throws Exception {
        Path source = Path.of(System.getProperty("dcf.test.hello-java", "../examples/hello-java"), "Handler.java");
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", out.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertThat(status).as("javac " + source).isZero();
        assertThat(out.resolve("Handler.class")).exists();
        return out;
    }
}
