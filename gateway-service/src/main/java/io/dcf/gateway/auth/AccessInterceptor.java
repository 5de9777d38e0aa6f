package io.dcf.gateway.auth;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Authorization of every gRPC call, keyed by method (so the REST routes transcoded to a
 * method follow its rule): management needs the gateway's token and is audited; health
 * and reflection are open; invocations are open unless the function asks for the token.
 */
public final class AccessInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Authenticator authenticator;
    private final FunctionAccess functions;

    public AccessInterceptor(Authenticator authenticator, FunctionAccess functions) {
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.functions = requireNonNull(functions, "functions");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return switch (MethodRule.of(call.getMethodDescriptor())) {
            case OPEN -> next.startCall(call, headers);
            case INVOKE -> new InvokeCheck<>(next.startCall(call, headers), call, authenticator, functions,
                    headers.get(AUTHORIZATION));
            case MANAGE -> manage(call, headers, next);
        };
    }

    private <Q, R> ServerCall.Listener<Q> manage(ServerCall<Q, R> call, Metadata headers,
                                                 ServerCallHandler<Q, R> next) {
        Caller caller = authenticator.authenticate(headers.get(AUTHORIZATION));
        AuditedCall<Q, R> audited = new AuditedCall<>(call, caller);
        if (!caller.authenticated()) {
            audited.close(caller.refusal(), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return audited.listen(next.startCall(audited, headers));
    }
}
