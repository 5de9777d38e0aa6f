package io.dcf.gateway.invoke;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.proto.v1.CallReply;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forwards a replica's stream replies to the caller and releases the endpoint once
 * the stream ends. After {@link #fail(Status)} it forwards nothing more.
 */
final class ReleasingObserver implements StreamObserver<CallReply> {

    private final StreamObserver<CallReply> delegate;
    private final Endpoint endpoint;
    private final AtomicBoolean terminated = new AtomicBoolean();

    ReleasingObserver(StreamObserver<CallReply> delegate, Endpoint endpoint) {
        this.delegate = delegate;
        this.endpoint = endpoint;
    }

    @Override
    public void onNext(CallReply value) {
        if (!terminated.get()) {
            delegate.onNext(value);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (terminate()) {
            delegate.onError(t);
        }
    }

    @Override
    public void onCompleted() {
        if (terminate()) {
            delegate.onCompleted();
        }
    }

    /** Ends the caller's stream with {@code status}, whatever the replica does next. */
    void fail(Status status) {
        if (terminate()) {
            delegate.onError(status.asRuntimeException());
        }
    }

    private boolean terminate() {
        if (terminated.compareAndSet(false, true)) {
            endpoint.release();
            return true;
        }
        return false;
    }
}
