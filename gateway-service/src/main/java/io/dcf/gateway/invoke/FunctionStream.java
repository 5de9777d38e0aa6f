package io.dcf.gateway.invoke;

import io.dcf.gateway.metrics.StreamInvocation;
import io.dcf.proto.v1.CallRequest;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;

/**
 * The caller's side of a stream to one replica: forwards requests, measuring each and
 * enforcing the body limit, tells whether the replica can take more now, and ends the
 * stream on the gateway's behalf (too large a request, idle too long).
 */
final class FunctionStream implements StreamObserver<CallRequest> {

    private final StreamObserver<CallRequest> upstream;
    private final ReleasingObserver replies;
    private final String function;
    private final long maxBody;
    private final StreamInvocation stream;
    private final Duration idleWindow;
    private boolean failed;

    FunctionStream(StreamObserver<CallRequest> upstream, ReleasingObserver replies, String function,
                   long maxBody, StreamInvocation stream, Duration idleWindow) {
        this.upstream = upstream;
        this.replies = replies;
        this.function = function;
        this.maxBody = maxBody;
        this.stream = stream;
        this.idleWindow = idleWindow;
    }

    /** How long the stream may pass no message either way before the gateway ends it. */
    Duration idleWindow() {
        return idleWindow;
    }

    @Override
    public synchronized void onNext(CallRequest value) {
        if (failed) {
            return;
        }
        int size = value.getInput().size();
        stream.sent();
        if (size > maxBody) {
            end(Status.RESOURCE_EXHAUSTED.withDescription(Invoker.tooLarge(function, size, maxBody).getMessage()));
            return;
        }
        upstream.onNext(value);
    }

    /** Ends the stream: the caller gets {@code status}, the replica a cancel (which frees its slot). */
    synchronized void end(Status status) {
        if (!failed) {
            failed = true;
            replies.fail(status);
            upstream.onError(status.asRuntimeException());
        }
    }

    /** Asks the replica for one more reply (replies are not read ahead of the caller). */
    void requestReply() {
        replies.request(1);
    }

    /** True while the replica's side of the stream accepts more requests without buffering. */
    boolean isReady() {
        return !(upstream instanceof ClientCallStreamObserver<CallRequest> flow) || flow.isReady();
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (!failed) {
            failed = true;
            upstream.onError(t);
        }
    }

    @Override
    public synchronized void onCompleted() {
        if (!failed) {
            upstream.onCompleted();
        }
    }
}
