package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcf.images.testing.LocalRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 200 MiB blob uploaded and downloaded (twice: upstream, then cache) through a proxy whose heap
 * is 64 MiB: the proxy runs as its own JVM ({@link RegistryProxyMain}, -Xmx64m, exit on
 * OutOfMemoryError), so only streaming with backpressure can pass. The bytes are generated and
 * hashed on the fly; the test never holds them either.
 */
class LargeBlobIT {

    private static final Logger log = LoggerFactory.getLogger(LargeBlobIT.class);
    private static final long SIZE = 200L << 20;
    private static final Pattern LISTENING = Pattern.compile("registry-proxy listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void blobOf200MiB_uploadedAndDownloadedThroughAProxyWith64MiBHeap() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
                ChildProxy proxy = new ChildProxy(registry.host(), dir.resolve("cache"))) {
            String base = "http://" + proxy.host() + "/v2/big/blob/blobs/";
            long started = System.nanoTime();
            String digest = upload(proxy.host());
            long uploaded = System.nanoTime();

            Http.Hashed first = Http.streamedGet(base + digest);
            long downloaded = System.nanoTime();
            Http.Hashed second = Http.streamedGet(base + digest);
            long cached = System.nanoTime();

            assertThat(first).isEqualTo(new Http.Hashed(200, digest, SIZE));
            assertThat(second).isEqualTo(new Http.Hashed(200, digest, SIZE));
            assertThat(proxy.process.isAlive()).as("proxy alive; its output: %s", proxy.output).isTrue();
            assertThat(RegistryProxyIT.metric(proxy.host(), "dcf_registry_proxy_served_bytes_total{source=\"cache\"}"))
                    .isGreaterThanOrEqualTo(2.0 * SIZE);
            assertThat(Http.get("http://" + registry.host() + "/v2/big/blob/blobs/" + digest,
                    "Range", "bytes=0-0").statusCode()).isIn(200, 206);
            log.info("200 MiB through a -Xmx64m proxy: upload {} ms, first download (fill + serve) {} ms, cached download {} ms",
                    ms(uploaded - started), ms(downloaded - uploaded), ms(cached - downloaded));
        }
    }

    /** POST, one streamed PATCH (chunked, no length), then PUT with the digest computed while streaming. */
    private static String upload(String host) throws Exception {
        HttpResponse<String> started = Http.CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://" + host + "/v2/big/blob/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(202);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> patched = Http.CLIENT.send(HttpRequest.newBuilder(
                URI.create(started.headers().firstValue("Location").orElseThrow()))
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE, sha)))
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(202);
        assertThat(patched.headers().firstValue("Range")).hasValue("0-" + (SIZE - 1));
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        String location = patched.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("http://" + host + "/");
        HttpResponse<String> put = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(location
                + (location.contains("?") ? "&" : "?") + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return digest;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Deterministic pseudo-random bytes (xorshift), hashed as they are read. */
    private static final class Generated extends InputStream {
        private final MessageDigest sha;
        private long left;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size, MessageDigest sha) {
            this.left = size;
            this.sha = sha;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            sha.update(b, off, n);
            left -= n;
            return n;
        }
    }

    /** {@link RegistryProxyMain} in its own JVM with a 64 MiB heap; its port read from its log. */
    private static final class ChildProxy implements AutoCloseable {
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();
        volatile int port;

        ChildProxy(String upstream, Path cache) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                    "-cp", System.getProperty("java.class.path"), RegistryProxyMain.class.getName())
                    .redirectErrorStream(true);
            pb.environment().put("DCF_PROXY_UPSTREAM", "http://" + upstream);
            pb.environment().put("DCF_PROXY_PORT", "0");
            pb.environment().put("DCF_PROXY_CACHE_DIR", cache.toString());
            pb.environment().put("DCF_PROXY_CACHE_MAX_BYTES", "1Gi");
            process = pb.start();
            Thread reader = new Thread(this::read, "child-proxy-log");
            reader.setDaemon(true);
            reader.start();
            await("child proxy listening").atMost(Duration.ofSeconds(60))
                    .until(() -> port > 0 || !process.isAlive());
            assertThat(port).as("child proxy port; output: %s", output).isPositive();
        }

        String host() {
            return "127.0.0.1:" + port;
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1));
                    }
                }
            } catch (IOException e) {
                output.add("read failed: " + e);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
