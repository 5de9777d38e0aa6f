package io.dcf.gateway.auth;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;

/**
 * The listener of a gRPC invocation (Invoke, or an Invokes stream, whose first request
 * names the function): when that function says {@code auth: token} and the caller has no
 * valid token, the call ends UNAUTHENTICATED before any request reaches the function.
 */
final class InvokeCheck<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

    private final ServerCall<Q, R> call;
    private final Authenticator authenticator;
    private final FunctionAccess functions;
    private final String authorization;
    private boolean checked;
    private boolean refused;

    InvokeCheck(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Authenticator authenticator,
                FunctionAccess functions, String authorization) {
        super(delegate);
        this.call = call;
        this.authenticator = authenticator;
        this.functions = functions;
        this.authorization = authorization;
    }

    @Override
    public void onMessage(Q message) {
        if (refused) {
            return;
        }
        if (!checked) {
            checked = true;
            String function = FunctionNames.of(message);
            if (functions.requiresToken(function)) {
                Caller caller = authenticator.authenticate(authorization);
                if (!caller.authenticated()) {
                    refused = true;
                    call.close(FunctionAccess.refusal(function, caller), new Metadata());
                    return;
                }
            }
        }
        super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
        if (!refused) {
            super.onHalfClose();
        }
    }

    @Override
    public void onCancel() {
        if (!refused) {
            super.onCancel();
        }
    }

    @Override
    public void onComplete() {
        if (!refused) {
            super.onComplete();
        }
    }

    @Override
    public void onReady() {
        if (!refused) {
            super.onReady();
        }
    }
}
