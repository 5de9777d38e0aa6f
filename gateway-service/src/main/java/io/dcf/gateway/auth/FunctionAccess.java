package io.dcf.gateway.auth;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.error.DcfException;
import io.grpc.Status;

/**
 * Which functions want the gateway's token from their callers ({@code auth: token} in
 * config.yaml, {@code FunctionSpec.auth}), read from the routing table, so it never blocks.
 */
public final class FunctionAccess {

    static final String TOKEN = "token";

    private final EndpointResolver resolver;

    public FunctionAccess(EndpointResolver resolver) {
        this.resolver = requireNonNull(resolver, "resolver");
    }

    /** True when {@code function} exists and says {@code auth: token}; unknown names go on to answer NOT_FOUND. */
    public boolean requiresToken(String function) {
        if (function == null || function.isEmpty()) {
            return false;
        }
        try {
            return TOKEN.equals(resolver.route(function).spec().getAuth());
        } catch (DcfException e) {
            return false;
        }
    }

    /** Why {@code caller} may not invoke {@code function}: UNAUTHENTICATED, naming the function and the setting. */
    static Status refusal(String function, Caller caller) {
        String why = caller.refusal() == null ? "" : ": " + caller.refusal().getDescription();
        return Status.UNAUTHENTICATED.withDescription("function " + FunctionNames.forLog(function)
                + " needs the gateway's token (auth: token)" + why);
    }
}
