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
 * Guards a plain HTTP route that only a holder of the gateway's token may read (such as
 * {@code /metrics} with {@code dcf.gateway.metrics.auth=token}): 401 with the
 * authenticator's reason plus {@code why} when the caller has no valid token.
 */
public final class TokenGuard implements DecoratingHttpServiceFunction {

    private final Authenticator authenticator;
    private final String why;

    /** {@code why} ends the refusal's message, e.g. "(/metrics needs the gateway's token)". */
    public TokenGuard(Authenticator authenticator, String why) {
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.why = requireNonNull(why, "why");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        Caller caller = authenticator.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (!caller.authenticated()) {
            return HttpErrors.of(caller.refusal().withDescription(caller.refusal().getDescription() + " " + why));
        }
        return delegate.serve(ctx, req);
    }
}
