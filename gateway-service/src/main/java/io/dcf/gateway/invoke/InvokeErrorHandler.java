package io.dcf.gateway.invoke;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.annotation.Nullable;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Gives errors Armeria raises itself on {@code /function/...} (a body over the limit
 * announced by Content-Length, for example) the same JSON body as every other
 * invocation error. Other paths keep Armeria's and gRPC's own error rendering.
 */
public final class InvokeErrorHandler implements ServerErrorHandler {

    private static final String PREFIX = "/function/";

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
        if (headers == null || !headers.path().startsWith(PREFIX)) {
            return null;
        }
        String function = functionOf(headers.path());
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            return tooLarge(function, ctx != null ? ctx.maxRequestLength() : config.maxRequestLength())
                    .aggregate().join();
        }
        String message = description != null ? description : status.reasonPhrase();
        return HttpErrors.of(status, status.codeAsText(), message).aggregate().join();
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
