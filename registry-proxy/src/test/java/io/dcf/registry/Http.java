package io.dcf.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/** Plain JDK HTTP calls to a proxy or registry, and sha256 of what comes back. */
final class Http {

    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {
    }

    static HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Uploads {@code bytes} as a blob of {@code repository} at {@code host} (POST, then PUT with the digest); returns the digest. */
    static String pushBlob(String host, String repository, byte[] bytes) throws Exception {
        return pushBlob(host, repository, bytes, null);
    }

    /** Like {@link #pushBlob(String, String, byte[])} with an {@code Authorization} header (null: none). */
    static String pushBlob(String host, String repository, byte[] bytes, String authorization) throws Exception {
        String digest = sha256(bytes);
        HttpResponse<byte[]> started = CLIENT.send(authorized(HttpRequest.newBuilder(
                URI.create("http://" + host + "/v2/" + repository + "/blobs/uploads/")), authorization)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (started.statusCode() != 202) {
            throw new IOException("POST upload: HTTP " + started.statusCode());
        }
        URI location = URI.create("http://" + host + "/").resolve(started.headers().firstValue("Location").orElseThrow());
        String put = location + (location.getQuery() == null ? "?" : "&") + "digest=" + digest;
        HttpResponse<byte[]> done = CLIENT.send(authorized(HttpRequest.newBuilder(URI.create(put)), authorization)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (done.statusCode() != 201) {
            throw new IOException("PUT upload: HTTP " + done.statusCode() + " " + new String(done.body()));
        }
        return digest;
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder b, String authorization) {
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Streams {@code url}'s body through sha256 without holding it; returns digest and length. */
    static Hashed streamedGet(String url) throws Exception {
        HttpResponse<InputStream> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long length = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                length += n;
            }
        }
        return new Hashed(response.statusCode(), "sha256:" + HexFormat.of().formatHex(sha.digest()), length);
    }

    record Hashed(int status, String digest, long length) {
    }
}
