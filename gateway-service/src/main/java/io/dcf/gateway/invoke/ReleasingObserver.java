package io.dcf.gateway.invoke;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.metrics.StreamInvocation;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forwards a replica's stream replies to the caller and releases the endpoint once
 * the stream ends. After {@link #fail(Status)} it forwards nothing more. Runs
 * {@code onReady} whenever the replica can take more requests (flow control). Replies are read
 * only as asked for ({@link #request(int)}), the first one at once.
 */
final class ReleasingObserver implements ClientResponseObserver<CallRequest, CallReply> {

    private final StreamObserver<CallReply> delegate;
    private final Endpoint endpoint;
    private final Runnable onReady;
    private final String function;
    private final ExpectedEndLog ends;
    private final StreamInvocation stream;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private volatile ClientCallStreamObserver<CallRequest> requests;

    ReleasingObserver(StreamObserver<CallReply> delegate, Endpoint endpoint, Runnable onReady, String function,
                      ExpectedEndLog ends, StreamInvocation stream) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.onReady = onReady;
        this.function = function;
        this.ends = ends;
        this.stream = stream;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<CallRequest> requestStream) {
        requests = requestStream;
        requestStream.setOnReadyHandler(onReady);
        requestStream.disableAutoRequestWithInitial(1);
    }

    /** Reads {@code count} more replies from the replica, unless the stream has ended. */
    void request(int count) {
        ClientCallStreamObserver<CallRequest> stream = requests;
        if (stream != null && !terminated.get()) {
            stream.request(count);
        }
    }

    @Override
    public void onNext(CallReply value) {
        if (!terminated.get()) {
            stream.replied();
            delegate.onNext(value);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (terminate()) {
            Throwable forCaller = ReplicaFailures.forCaller(t, function);
            Status status = Status.fromThrowable(forCaller);
            stream.end(ErrorMapping.httpStatus(status.getCode()).code());
            ends.record(function, status);
            delegate.onError(forCaller);
        }
    }

    @Override
    public void onCompleted() {
        if (terminate()) {
            stream.end(200);
            delegate.onCompleted();
        }
    }

    /** Ends the caller's stream with {@code status}, whatever the replica does next. */
    void fail(Status status) {
        if (terminate()) {
            stream.end(ErrorMapping.httpStatus(status.getCode()).code());
            ends.record(function, status);
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
