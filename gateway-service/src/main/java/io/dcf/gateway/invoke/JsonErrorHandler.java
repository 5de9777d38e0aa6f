package io.dcf.gateway.invoke;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.annotation.Nullable;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.error.ErrorMapping;

/**
 * Gives errors Armeria raises itself on {@code /function/...} and {@code /system/...}
 * (a body over the limit announced by Content-Length, a REST body that is not JSON)
 * the same JSON body, {@code {"code","message"}}, as every other HTTP error. gRPC
 * keeps its own error rendering.
 */
public final class JsonErrorHandler implements ServerErrorHandler {

    private static final String PREFIX = "/function/";
    private static final String SYSTEM = "/system/";

    @Override
    @Nullable
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        if (!ctx.path().startsWith(PREFIX)) {
            return null;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ContentTooLargeException) {
                return tooLarge(functionOf(ctx.path()), ctx.maxRequestLength());
            }
        }
        return HttpErrors.of(cause);
    }

    static HttpResponse tooLarge(String function, long limit) {
        return HttpErrors.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "RESOURCE_EXHAUSTED",
                "request body exceeds the limit of " + limit + " bytes for function " + function);
    }

    @Override
    @Nullable
    public AggregatedHttpResponse renderStatus(@Nullable ServiceRequestContext ctx, ServiceConfig config,
                                               @Nullable RequestHeaders headers, HttpStatus status,
                                               @Nullable String description, @Nullable Throwable cause) {
        if (headers == null) {
            return null;
        }
        String path = headers.path();
        if (path.startsWith(PREFIX) && status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            return tooLarge(functionOf(path), ctx != null ? ctx.maxRequestLength() : config.maxRequestLength())
                    .aggregate().join();
        }
        if (!path.startsWith(PREFIX) && !path.startsWith(SYSTEM)) {
            return null;
        }
        String message = description != null ? description : status.reasonPhrase();
        if (path.startsWith(SYSTEM) && status == HttpStatus.BAD_REQUEST && description == null) {
            MediaType type = headers.contentType();
            message = type != null && type.isJson()
                      ? "bad request: the body is not well-formed JSON (see docs/api.md)"
                      : "bad request: send a JSON body (see docs/api.md) with 'Content-Type: application/json'";
        }
        return HttpErrors.of(status, ErrorMapping.grpcCode(status).name(), message).aggregate().join();
    }

    private static String functionOf(String path) {
        String rest = path.substring(PREFIX.length());
        int end = rest.indexOf('/');
        int query = rest.indexOf('?');
        if (end < 0 || (query >= 0 && query < end)) {
            end = query;
        }
        return end < 0 ? rest : rest.substring(0, end);
    }
}
