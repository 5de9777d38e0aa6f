package io.dcf.gateway.auth;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.annotation.Nullable;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.invoke.HttpErrors;
import io.grpc.Status;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before any service sees them, requests a browser could be tricked into sending:
 * those addressed to a host name the gateway does not answer to (DNS rebinding), and
 * cross-origin writes (an {@code Origin} other than the gateway's own on anything but
 * GET, HEAD, OPTIONS). Both answer PERMISSION_DENIED: HTTP 403 with a JSON body, or a
 * gRPC status for gRPC requests.
 */
public final class RequestGuard implements DecoratingHttpServiceFunction {

    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final AllowedHosts hosts;

    public RequestGuard(AllowedHosts hosts) {
        this.hosts = requireNonNull(hosts, "hosts");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        String authority = req.authority();
        if (!hosts.allows(authority)) {
            return refuse(req, (authority == null ? "the request names no host (Host header)"
                    : "the gateway does not answer to the host name '" + printable(authority) + "'")
                    + " (allowed: localhost, 127.0.0.1, [::1] and dcf.gateway.allowed-hosts)");
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !READS.contains(req.method()) && !sameOrigin(origin, authority)) {
            return refuse(req, "cross-origin " + req.method() + " from '" + printable(origin)
                    + "' refused: the gateway accepts writes from its own origin only");
        }
        return delegate.serve(ctx, req);
    }

    /** True when {@code origin} ({@code scheme://host[:port]}) names the same host and port as {@code authority}. */
    static boolean sameOrigin(String origin, @Nullable String authority) {
        if (authority == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort()
                    : uri.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
            String host = AllowedHosts.hostOf(uri.getHost());
            int colon = authority.lastIndexOf(':');
            boolean hasPort = colon > authority.lastIndexOf(']');
            int authorityPort = hasPort ? Integer.parseInt(authority.substring(colon + 1)) : port;
            return host.equals(AllowedHosts.hostOf(authority)) && port == authorityPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static HttpResponse refuse(HttpRequest req, String message) {
        log.debug("Refused {} {}: {}", req.method(), req.path(), message);
        MediaType type = req.contentType();
        if (type != null && type.subtype().startsWith("grpc")) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                    .contentType(type)
                    .add("grpc-status", Integer.toString(Status.Code.PERMISSION_DENIED.value()))
                    .add("grpc-message", message)
                    .endOfStream(true)
                    .build());
        }
        return HttpErrors.of(HttpStatus.FORBIDDEN, Status.Code.PERMISSION_DENIED.name(), message);
    }

    /** {@code text} as printable ASCII without '%' (safe in a grpc-message header), at most 100 characters. */
    private static String printable(@Nullable String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(100).forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '%' ? (char) c : '?'));
        return out.toString();
    }
}
