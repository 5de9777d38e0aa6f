package io.dcf.registry;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.file.HttpFile;
import io.dcf.registry.BlobCache.Lease;
import com.linecorp.armeria.common.util.TimeoutMode;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v2/...}: every request is forwarded to the upstream with its body streamed both ways,
 * except a {@code GET} of a blob or a manifest by {@code sha256} digest, which is served from the
 * cache (filled once on a miss, see {@link CacheFill}). A client that sends its own
 * {@code Authorization} (the upstream challenged it because the proxy has no credentials), asks for
 * a {@code Range}, or names another digest algorithm is always forwarded and never cached.
 */
final class ProxyService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(ProxyService.class);
    private static final AttributeKey<Boolean> FROM_CACHE = AttributeKey.valueOf(ProxyService.class, "FROM_CACHE");

    private final Upstream upstream;
    private final BlobCache cache;
    private final CacheFill fill;
    private final ProxyMetrics metrics;
    private final Duration serveTimeout;

    /** {@code cache} is null when caching is off; {@code serveTimeout} bounds sending one cached file. */
    ProxyService(Upstream upstream, BlobCache cache, ProxyMetrics metrics, Duration serveTimeout) {
        this.upstream = upstream;
        this.cache = cache;
        this.fill = cache == null ? null : new CacheFill(cache, upstream, metrics);
        this.metrics = metrics;
        this.serveTimeout = serveTimeout;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        V2Path path = V2Path.parse(ctx.path());
        ctx.log().whenComplete().thenAccept(done -> {
            metrics.received(done.requestLength());
            metrics.served(Boolean.TRUE.equals(ctx.attr(FROM_CACHE)) ? "cache" : "upstream", done.responseLength());
        });
        Optional<String> key = cacheable(req) ? path.cacheKey() : Optional.empty();
        // The body is read on this connection's event loop, where Armeria also counts what it received: an
        // upload read on the upstream client's loop could leave the connection's reads paused for good.
        HttpResponse response = key.map(k -> cached(ctx, req, path, k))
                .orElseGet(() -> upstream.forward(req.subscribeOn(ctx.eventLoop()), path));
        String scheme = ctx.sessionProtocol().isTls() ? "https" : "http";
        String authority = req.headers().authority();
        return response.mapHeaders(headers -> {
            if (headers.status().isServerError() && !Boolean.TRUE.equals(ctx.attr(FROM_CACHE))) {
                metrics.upstreamError("status_5xx");
            }
            return Locations.rewrite(headers, upstream.authority(), scheme, authority);
        }).recover(cause -> {
            ProxyErrors.Failure failure = ProxyErrors.of(cause, upstream.authority());
            metrics.upstreamError(failure.reason());
            log.warn("{} {}: {} {}", req.method(), ctx.path(), failure.status().code(), failure.message());
            return failure.response();
        });
    }

    private boolean cacheable(HttpRequest req) {
        return cache != null && req.method() == HttpMethod.GET
                && !req.headers().contains(HttpHeaderNames.AUTHORIZATION)
                && !req.headers().contains(HttpHeaderNames.RANGE);
    }

    private HttpResponse cached(ServiceRequestContext ctx, HttpRequest req, V2Path path, String key) {
        String kind = path.kind().equals("blobs") ? "blob" : "manifest";
        Optional<Lease> hit = cache.acquire(key);
        if (hit.isPresent()) {
            metrics.hit(kind);
            return serve(ctx, req, hit.get(), path);
        }
        metrics.miss(kind);
        return HttpResponse.of(fill.fill(key, path, ctx.blockingTaskExecutor()).thenApplyAsync(result -> {
            if (result.upstreamAnswer() != null) {
                return result.upstreamAnswer().toHttpResponse();
            }
            Optional<Lease> filled = result == CacheFill.Result.PUBLISHED ? cache.acquire(key) : Optional.empty();
            // Too large for the cache, or already evicted again by a tiny bound: forward on our own.
            return filled.map(lease -> serve(ctx, req, lease, path))
                    .orElseGet(() -> upstream.forward(HttpRequest.of(req.headers()), path));
        }, ctx.eventLoop()), ctx.eventLoop());
    }

    private HttpResponse serve(ServiceRequestContext ctx, HttpRequest req, Lease lease, V2Path path) {
        ctx.setAttr(FROM_CACHE, true);
        // A fill may have used most of the request's deadline: sending the file gets a deadline of its own.
        ctx.setRequestTimeout(TimeoutMode.SET_FROM_NOW, serveTimeout);
        ctx.log().whenComplete().thenRun(() -> {
            if (lease.release()) {
                ctx.blockingTaskExecutor().execute(cache::evict);
            }
        });
        String type = lease.contentType() != null ? lease.contentType() : MediaType.OCTET_STREAM.toString();
        HttpFile file = HttpFile.builder(lease.file())
                .contentType(type)
                .setHeader("docker-content-digest", path.reference())
                .setHeader(HttpHeaderNames.ETAG, "\"" + path.reference() + "\"")
                .entityTag(false)
                .lastModified(false)
                .build();
        try {
            return file.asService().serve(ctx, req);
        } catch (Exception e) {
            return HttpResponse.ofFailure(e);
        }
    }
}
