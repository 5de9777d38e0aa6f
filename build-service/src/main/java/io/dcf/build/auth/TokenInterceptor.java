package io.dcf.build.auth;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Every {@code dcf.v1.Builder} call (and its REST route) needs {@code authorization: Bearer <token>};
 * health and reflection are open. A refusal is UNAUTHENTICATED (HTTP 401) and says what to send.
 */
public final class TokenInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String GUARDED = "dcf.v1.Builder";

    private final BuildToken token;

    public TokenInterceptor(BuildToken token) {
        this.token = requireNonNull(token, "token");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (!GUARDED.equals(call.getMethodDescriptor().getServiceName()) || token.matchesHeader(headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        String why = headers.get(AUTHORIZATION) == null ? "no token" : "a wrong token";
        call.close(Status.UNAUTHENTICATED.withDescription(call.getMethodDescriptor().getBareMethodName()
                + ": " + why + "; send 'authorization: Bearer <token>' with the build-service's token"
                + " (the gateway's token on Kubernetes)"), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
