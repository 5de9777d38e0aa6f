package io.dcf.gateway.auth;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.invoke.HttpErrors;

/**
 * Guards {@code /function/<name>}: a function with {@code auth: token} answers 401 to a
 * caller without the gateway's token. The gateway's token never reaches a handler: an
 * {@code Authorization} header that carries it (or that a token function consumed) is
 * removed before the call; any other one is passed on, for the function's own use.
 */
public final class InvokeGuard implements DecoratingHttpServiceFunction {

    private final Authenticator authenticator;
    private final FunctionAccess functions;

    public InvokeGuard(Authenticator authenticator, FunctionAccess functions) {
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.functions = requireNonNull(functions, "functions");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        String mapped = ctx.mappedPath(); // "/<name>[/<rest>]"
        int slash = mapped.indexOf('/', 1);
        String function = slash < 0 ? mapped.substring(1) : mapped.substring(1, slash);
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        boolean tokenFunction = functions.requiresToken(function);
        Caller caller = authorization == null && !tokenFunction ? null : authenticator.authenticate(authorization);
        if (tokenFunction && !caller.authenticated()) {
            return HttpErrors.of(FunctionAccess.refusal(function, caller));
        }
        if (authorization != null && (tokenFunction || (authenticator.enabled() && caller.authenticated()))) {
            HttpRequest stripped = req.withHeaders(req.headers().toBuilder()
                    .removeAndThen(HttpHeaderNames.AUTHORIZATION).build());
            ctx.updateRequest(stripped);
            return delegate.serve(ctx, stripped);
        }
        return delegate.serve(ctx, req);
    }
}
