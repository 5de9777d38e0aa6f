package io.dcf.gateway.auth;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/** A management call that writes its audit line when it ends (closed by the server or cancelled by the caller). */
final class AuditedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

    private final Caller caller;
    private final SocketAddress peer;
    private final AtomicBoolean recorded = new AtomicBoolean();
    private volatile String function = "";

    AuditedCall(ServerCall<Q, R> call, Caller caller) {
        super(call);
        this.caller = caller;
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        this.peer = ctx != null ? ctx.remoteAddress() : call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    }

    @Override
    public void close(Status status, Metadata trailers) {
        record(status.getCode());
        super.close(status, trailers);
    }

    /** {@code listener}, noting the function named by the request and a cancellation by the caller. */
    ServerCall.Listener<Q> listen(ServerCall.Listener<Q> listener) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                if (function.isEmpty()) {
                    function = FunctionNames.of(message);
                }
                super.onMessage(message);
            }

            @Override
            public void onCancel() {
                record(Status.Code.CANCELLED);
                super.onCancel();
            }
        };
    }

    private void record(Status.Code result) {
        if (recorded.compareAndSet(false, true)) {
            AuditLog.record(caller, peer,
                    getMethodDescriptor().getFullMethodName(), function, result);
        }
    }
}
