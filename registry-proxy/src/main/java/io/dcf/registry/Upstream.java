package io.dcf.registry;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.SplitHttpResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * The registry behind the proxy: one client with deadlines (connect, and the whole exchange
 * including its body), streaming both ways with no length limit, and, when credentials are
 * configured, every request authorized by {@link UpstreamAuth} (a request without a body is sent
 * again once after a 401). Without credentials the client's own {@code Authorization} passes
 * through and the upstream's challenges reach the client unchanged.
 */
final class Upstream implements AutoCloseable {

    private static final Set<HttpMethod> REPLAYABLE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE);

    private final URI uri;
    private final ClientFactory factory;
    private final WebClient client;
    private final WebClient storage;
    private final UpstreamAuth auth;

    private Upstream(URI uri, ClientFactory factory, WebClient client, WebClient storage, UpstreamAuth auth) {
        this.uri = uri;
        this.factory = factory;
        this.client = client;
        this.storage = storage;
        this.auth = auth;
    }

    static Upstream create(ProxySettings settings, Optional<RegistryCredentials> credentials) {
        ClientFactory factory = ClientFactory.builder()
                .connectTimeout(settings.connectTimeout())
                .idleTimeoutMillis(60_000)
                .build();
        URI uri = settings.upstream();
        // Plain HTTP is HTTP/1.1 without an h2c upgrade probe: registries serve h1 on cleartext.
        String base = (uri.getScheme().equals("http") ? "h1c" : "https") + "://" + RegistryCredentials.authority(uri);
        WebClient client = WebClient.builder(base)
                .factory(factory)
                .responseTimeout(settings.upstreamTimeout())
                .writeTimeout(settings.upstreamTimeout())
                .maxResponseLength(0)
                .build();
        UpstreamAuth auth = credentials.map(c -> new UpstreamAuth(c, client, WebClient.builder()
                .factory(factory)
                .responseTimeout(settings.connectTimeout().multipliedBy(3))
                .maxResponseLength(1 << 20)
                .build(), Clock.systemUTC())).orElse(null);
        // Where the upstream redirects blob downloads (object storage): absolute URLs, no credentials.
        WebClient storage = WebClient.builder()
                .factory(factory)
                .responseTimeout(settings.upstreamTimeout())
                .maxResponseLength(0)
                .build();
        return new Upstream(uri, factory, client, storage, auth);
    }

    /** {@code host[:port]} of the upstream, as it appears in its absolute {@code Location} URLs. */
    String authority() {
        return RegistryCredentials.authority(uri);
    }

    /** Sends {@code request} (its body streamed) upstream, authorized for {@code path}'s repository. */
    HttpResponse forward(HttpRequest request, V2Path path) {
        RequestHeaders headers = headers(request.headers());
        if (auth == null) {
            return client.execute(request.withHeaders(headers));
        }
        boolean replayable = REPLAYABLE.contains(headers.method()) || headers.contentLength() == 0;
        String scope = scope(headers, path);
        return HttpResponse.of(auth.header(scope).thenApply(authorization -> {
            RequestHeaders authorized = authorize(headers, authorization);
            if (!replayable) {
                return client.execute(request.withHeaders(authorized));
            }
            return retryOnce(authorized, scope);
        }));
    }

    private HttpResponse retryOnce(RequestHeaders authorized, String scope) {
        SplitHttpResponse first = client.execute(HttpRequest.of(authorized)).split();
        return HttpResponse.of(first.headers().thenApply(h -> {
            if (h.status() != HttpStatus.UNAUTHORIZED) {
                return first.unsplit();
            }
            first.body().abort();
            return HttpResponse.of(auth.retry(h, scope)
                    .thenApply(again -> client.execute(HttpRequest.of(authorize(authorized, again)))));
        }));
    }

    /**
     * GETs the target of the upstream's redirect {@code location} (relative to the upstream, or
     * absolute: object storage) without the upstream's credentials: a signed storage URL carries
     * its own, and a second scheme in the same request is refused by S3 and its kind.
     */
    HttpResponse followRedirect(String location) {
        URI target = uri.resolve(location);
        if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme())) {
            throw new IllegalArgumentException("the upstream redirected to " + target.getScheme() + ": (expected: http or https)");
        }
        return storage.execute(RequestHeaders.of(HttpMethod.GET, target.toString()));
    }

    /** The client's headers as the upstream should see them: its own Host, no hop-by-hop headers. */
    private RequestHeaders headers(RequestHeaders in) {
        RequestHeadersBuilder out = in.toBuilder();
        out.remove(HttpHeaderNames.AUTHORITY);
        out.remove(HttpHeaderNames.HOST);
        out.remove(HttpHeaderNames.CONNECTION);
        out.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        out.remove(HttpHeaderNames.X_FORWARDED_FOR);
        if (auth != null) {
            out.remove(HttpHeaderNames.AUTHORIZATION);
        }
        return out.build();
    }

    private static RequestHeaders authorize(RequestHeaders headers, Optional<String> authorization) {
        return authorization.map(a -> headers.toBuilder().set(HttpHeaderNames.AUTHORIZATION, a).build())
                .orElse(headers);
    }

    private static String scope(RequestHeaders headers, V2Path path) {
        boolean push = !(headers.method() == HttpMethod.GET || headers.method() == HttpMethod.HEAD);
        String scope = path.scope(push);
        String query = headers.path().contains("?") ? headers.path().substring(headers.path().indexOf('?') + 1) : "";
        for (String param : query.split("&")) {
            if (param.startsWith("from=") && push) {
                // A cross-repository mount also reads the source repository.
                scope += " repository:" + URLDecoder.decode(param.substring(5), StandardCharsets.UTF_8) + ":pull";
            }
        }
        return scope;
    }

    @Override
    public void close() {
        factory.close();
    }
}
