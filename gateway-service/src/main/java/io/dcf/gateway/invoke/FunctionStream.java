package io.dcf.gateway.invoke;

import io.dcf.proto.v1.CallRequest;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The caller's side of a stream to one replica: forwards requests, counting each and
 * enforcing the body limit, and tells whether the replica can take more now.
 */
final class FunctionStream implements StreamObserver<CallRequest> {

    private final StreamObserver<CallRequest> upstream;
    private final ReleasingObserver replies;
    private final String function;
    private final long maxBody;
    private final InvocationStats stats;
    private boolean failed;

    FunctionStream(StreamObserver<CallRequest> upstream, ReleasingObserver replies, String function,
                            long maxBody, InvocationStats stats) {
        this.upstream = upstream;
        this.replies = replies;
        this.function = function;
        this.maxBody = maxBody;
        this.stats = stats;
    }

    @Override
    public void onNext(CallRequest value) {
        if (failed) {
            return;
        }
        int size = value.getInput().size();
        if (size > maxBody) {
            failed = true;
            Status status = Status.RESOURCE_EXHAUSTED
                    .withDescription(Invoker.tooLarge(function, size, maxBody).getMessage());
            replies.fail(status);
            upstream.onError(status.asRuntimeException());
            return;
        }
        stats.record(function);
        upstream.onNext(value);
    }

    /** True while the replica's side of the stream accepts more requests without buffering. */
    boolean isReady() {
        return !(upstream instanceof ClientCallStreamObserver<CallRequest> flow) || flow.isReady();
    }

    @Override
    public void onError(Throwable t) {
        if (!failed) {
            failed = true;
            upstream.onError(t);
        }
    }

    @Override
    public void onCompleted() {
        if (!failed) {
            upstream.onCompleted();
        }
    }
}
