package io.dcf.registry;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import io.dcf.registry.ProxyErrors.DigestMismatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the cache from the upstream, once per digest however many clients ask at the same time:
 * the first request fetches, the others wait for the same result. The body is streamed into a
 * temporary file while it is hashed; the file is published only when the hash is the digest.
 *
 * <p>The result is {@link Result#PUBLISHED} (each waiter then reads the cache), {@link
 * Result#NOT_CACHED} (bigger than the cache, or a manifest without a media type: each
 * waiter forwards on its own), or the upstream's
 * small non-200 answer (404, 401 with its challenge) given to every waiter alike. A redirect
 * (to object storage) is followed, up to three hops, and what it leads to is cached the same way.
 */
final class CacheFill {

    private static final Logger log = LoggerFactory.getLogger(CacheFill.class);
    private static final String MANIFEST_TYPES = String.join(",",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final long MAX_ANSWER = 1 << 20;
    private static final int MAX_REDIRECTS = 3;

    private final BlobCache cache;
    private final Upstream upstream;
    private final ProxyMetrics metrics;
    private final ConcurrentMap<String, CompletableFuture<Result>> inFlight = new ConcurrentHashMap<>();

    CacheFill(BlobCache cache, Upstream upstream, ProxyMetrics metrics) {
        this.cache = cache;
        this.upstream = upstream;
        this.metrics = metrics;
    }

    /** The fill of {@code key} (the digest of {@code path}): a new one, or the one already running. */
    CompletableFuture<Result> fill(String key, V2Path path, Executor blocking) {
        CompletableFuture<Result> mine = new CompletableFuture<>();
        CompletableFuture<Result> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        mine.whenComplete((result, error) -> inFlight.remove(key, mine));
        if (cache.contains(key)) {
            mine.complete(Result.PUBLISHED);
            return mine;
        }
        try {
            fetch(key, path, blocking).whenComplete((result, error) -> {
                if (error != null) {
                    mine.completeExceptionally(error);
                } else {
                    mine.complete(result);
                }
            });
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        }
        return mine;
    }

    private CompletableFuture<Result> fetch(String key, V2Path path, Executor blocking) {
        RequestHeaders get = RequestHeaders.builder(HttpMethod.GET, "/v2/" + path.name() + "/" + path.kind()
                + "/" + path.reference()).set(HttpHeaderNames.ACCEPT, MANIFEST_TYPES).build();
        return receive(key, path, upstream.forward(HttpRequest.of(get), path).split(), blocking, MAX_REDIRECTS);
    }

    private CompletableFuture<Result> receive(String key, V2Path path, SplitHttpResponse response, Executor blocking,
            int redirects) {
        return response.headers().thenCompose(headers -> {
            String location = headers.get(HttpHeaderNames.LOCATION);
            if (headers.status().isRedirection() && location != null && redirects > 0) {
                // Object storage behind the registry (S3 and its kind): fetch it here to cache it.
                response.body().abort();
                return receive(key, path, upstream.followRedirect(location).split(), blocking, redirects - 1);
            }
            if (headers.status() != HttpStatus.OK) {
                return answer(headers, response);
            }
            if (headers.contentLength() > cache.maxBytes()) {
                response.body().abort();
                return CompletableFuture.completedFuture(Result.NOT_CACHED);
            }
            return CompletableFuture.supplyAsync(() -> tempFile(), blocking)
                    .thenCompose(tmp -> store(key, path, headers, response, tmp, blocking));
        });
    }

    private CompletableFuture<Result> store(String key, V2Path path, ResponseHeaders headers,
            SplitHttpResponse response, Path tmp, Executor blocking) {
        MessageDigest sha256 = sha256();
        AtomicLong bytes = new AtomicLong();
        return response.body().peek(data -> {
            sha256.update(data.array());
            if (bytes.addAndGet(data.length()) > cache.maxBytes()) {
                throw new TooLargeException();
            }
        }).writeTo(Function.identity(), tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                .handleAsync((done, error) -> {
                    if (error != null) {
                        deleteQuietly(tmp);
                        if (error instanceof TooLargeException || error.getCause() instanceof TooLargeException) {
                            return Result.NOT_CACHED;
                        }
                        throw error instanceof CompletionException c ? c : new CompletionException(error);
                    }
                    String actual = HexFormat.of().formatHex(sha256.digest());
                    if (!path.reference().equals("sha256:" + actual)) {
                        deleteQuietly(tmp);
                        log.warn("Upstream bytes of {} {} hash to sha256:{}: discarded", path.kind(), path.reference(), actual);
                        throw new DigestMismatchException(path.reference(), actual);
                    }
                    MediaType type = headers.contentType();
                    String contentType = path.kind().equals("manifests") && type != null ? type.toString() : null;
                    if (path.kind().equals("manifests") && contentType == null) {
                        deleteQuietly(tmp);
                        return Result.NOT_CACHED;
                    }
                    try {
                        cache.publish(key, tmp, contentType).release();
                    } catch (IOException e) {
                        deleteQuietly(tmp);
                        throw new UncheckedIOException(e);
                    }
                    log.debug("Cached {} ({} bytes)", key, bytes.get());
                    return Result.PUBLISHED;
                }, blocking);
    }

    private CompletableFuture<Result> answer(ResponseHeaders headers, SplitHttpResponse response) {
        AtomicLong bytes = new AtomicLong();
        return response.body().peek(data -> {
            if (bytes.addAndGet(data.length()) > MAX_ANSWER) {
                throw new TooLargeException();
            }
        }).collect().thenApply(chunks -> {
            byte[] body = new byte[(int) bytes.get()];
            int at = 0;
            for (HttpData chunk : chunks) {
                System.arraycopy(chunk.array(), 0, body, at, chunk.length());
                at += chunk.length();
            }
            return Result.answer(AggregatedHttpResponse.of(headers, HttpData.wrap(body)));
        });
    }

    private Path tempFile() {
        try {
            return cache.newTempFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.toString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a fill gives its waiters. */
    record Result(String outcome, AggregatedHttpResponse upstreamAnswer) {
        static final Result PUBLISHED = new Result("published", null);
        static final Result NOT_CACHED = new Result("not_cached", null);

        static Result answer(AggregatedHttpResponse response) {
            return new Result("answer", response);
        }
    }

    private static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super("larger than the cache", null, false, false);
        }
    }
}
