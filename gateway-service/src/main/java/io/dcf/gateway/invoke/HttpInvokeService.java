package io.dcf.gateway.invoke;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.UnsafeByteOperations;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.metrics.Invocation;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.netty.util.AsciiString;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET|POST|PUT|... /function/<name>[/<rest>]}: the raw body in, the raw output
 * out, binary-safe, content type preserved, request headers passed as metadata.
 */
public final class HttpInvokeService implements HttpService {

    /** Request headers not passed to handlers: transport details, not caller metadata. */
    private static final Set<AsciiString> HIDDEN = Set.of(
            HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONNECTION, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.TE, HttpHeaderNames.HOST, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.EXPECT, HttpHeaderNames.CONTENT_TYPE);

    private final Invoker invoker;

    public HttpInvokeService(Invoker invoker) {
        this.invoker = requireNonNull(invoker, "invoker");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        String mapped = ctx.mappedPath(); // "/<name>[/<rest>]"
        int slash = mapped.indexOf('/', 1);
        String name = slash < 0 ? mapped.substring(1) : mapped.substring(1, slash);
        String rest = slash < 0 ? "" : mapped.substring(slash);
        if (name.isEmpty()) {
            invoker.meters().startUnknown().end(HttpStatus.NOT_FOUND.code());
            return HttpErrors.of(HttpStatus.NOT_FOUND, "NOT_FOUND", "no function named in the path; use /function/<name>");
        }
        Route route;
        try {
            route = invoker.route(name);
        } catch (RuntimeException e) {
            invoker.meters().startUnknown().end(ErrorMapping.httpCode(e));
            return HttpErrors.of(e);
        }
        Invocation invocation = invoker.meters().start(name);
        // Ends with the status the caller really got: Armeria answers a body over the limit itself (413).
        ctx.log().whenAvailable(RequestLogProperty.RESPONSE_HEADERS)
                .thenAccept(log -> invocation.end(log.responseHeaders().status().code()));
        long limit = invoker.maxBody(route);
        ctx.setMaxRequestLength(limit);
        CompletableFuture<HttpResponse> response = req.aggregate()
                .thenCompose(agg -> invoker.call(name, route, toCall(name, rest, ctx, agg), invocation))
                .handle((reply, error) -> {
                    if (error == null) {
                        return toResponse(reply, req.contentType());
                    }
                    Throwable cause = ErrorMapping.unwrap(error);
                    if (cause instanceof ContentTooLargeException) {
                        return JsonErrorHandler.tooLarge(name, limit);
                    }
                    return HttpErrors.of(cause);
                });
        return HttpResponse.of(response);
    }

    private static CallRequest toCall(String name, String rest, ServiceRequestContext ctx, AggregatedHttpRequest agg) {
        CallRequest.Builder call = CallRequest.newBuilder()
                .setFunction(name)
                .setPath(rest)
                .setMethod(agg.method().name())
                .setInput(UnsafeByteOperations.unsafeWrap(agg.content().array()));
        MediaType type = agg.contentType();
        if (type != null) {
            call.setContentType(type.toString());
        }
        agg.headers().forEach((key, value) -> {
            if (key.charAt(0) != ':' && !HIDDEN.contains(key)) {
                call.putHeaders(key.toString(), value);
            }
        });
        String query = ctx.query();
        if (query != null) {
            call.putHeaders("x-dcf-query", query);
        }
        return call.build();
    }

    private static HttpResponse toResponse(CallReply reply, MediaType requestType) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK);
        reply.getHeadersMap().forEach((k, v) -> {
            if (!k.isEmpty() && k.charAt(0) != ':') {
                headers.add(k, v);
            }
        });
        if (!reply.getContentType().isEmpty()) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, reply.getContentType());
        } else if (requestType != null) {
            headers.contentType(requestType);
        } else {
            headers.contentType(MediaType.OCTET_STREAM);
        }
        return HttpResponse.of(headers.build(), HttpData.wrap(reply.getOutput().toByteArray()));
    }
}
