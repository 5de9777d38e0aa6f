package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.images.testing.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads as Jib sends them: several layers at once, each a streamed PATCH over HTTP/1.1 (no
 * length), through the proxy to a real docker-registry. Each must complete and read back from the
 * registry by its digest. (A proxy that read an upload's body on the upstream client's event loop
 * left the client connection's reads paused for good now and then: the PATCH hung until its
 * deadline, and Jib's retry of it was refused.)
 */
class ConcurrentUploadsIT {

    private static final int ROUNDS = 6;
    private static final int[] SIZES = {24 << 20, 12 << 20, 5 << 20, 1 << 20};
    private static final HttpClient HTTP1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dir;
    private static LocalRegistry registry;
    private static RegistryProxy proxy;
    private static ExecutorService uploaders;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        proxy = TestProxies.start(registry.host(), dir.resolve("cache"), "1Gi");
        uploaders = Executors.newFixedThreadPool(SIZES.length);
    }

    @AfterAll
    static void stop() throws Exception {
        if (uploaders != null) {
            uploaders.shutdownNow();
            uploaders.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void concurrentStreamedPatches_overHttp1_eachCompletesAndReadsBackFromTheRegistry() throws Exception {
        Random random = new Random(42);
        String host = "127.0.0.1:" + proxy.port();
        for (int round = 0; round < ROUNDS; round++) {
            String repository = "fn/concurrent-" + round;
            List<byte[]> blobs = new ArrayList<>();
            List<Future<String>> uploads = new ArrayList<>();
            for (int size : SIZES) {
                byte[] blob = new byte[size];
                random.nextBytes(blob);
                blobs.add(blob);
                uploads.add(uploaders.submit(() -> upload(host, repository, blob)));
            }
            for (int i = 0; i < blobs.size(); i++) {
                String digest = uploads.get(i).get(3, TimeUnit.MINUTES);
                assertThat(digest).as("round %d, blob of %d bytes", round, SIZES[i]).isEqualTo(Http.sha256(blobs.get(i)));
                HttpResponse<byte[]> stored = Http.get("http://" + registry.host() + "/v2/" + repository + "/blobs/" + digest);
                assertThat(stored.statusCode()).isEqualTo(200);
                assertThat(Http.sha256(stored.body())).isEqualTo(digest);
            }
        }
    }

    /** POST, one streamed PATCH (HTTP/1.1 chunked, in 8 KiB pieces), then PUT with the digest; returns it. */
    private static String upload(String host, String repository, byte[] blob) throws Exception {
        HttpResponse<String> started = HTTP1.send(HttpRequest.newBuilder(
                        URI.create("http://" + host + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        List<byte[]> pieces = new ArrayList<>();
        for (int off = 0; off < blob.length; off += 8192) {
            pieces.add(Arrays.copyOfRange(blob, off, Math.min(blob.length, off + 8192)));
        }
        HttpResponse<String> patched = HTTP1.send(HttpRequest.newBuilder(
                        URI.create(started.headers().firstValue("Location").orElseThrow()))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArrays(pieces))
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(202);
        String digest = Http.sha256(blob);
        String location = patched.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> put = HTTP1.send(HttpRequest.newBuilder(URI.create(location
                        + (location.contains("?") ? "&" : "?") + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return digest;
    }
}
