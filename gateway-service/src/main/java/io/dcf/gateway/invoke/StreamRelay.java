package io.dcf.gateway.invoke;

import io.dcf.gateway.error.ErrorMapping;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/**
 * Relays a caller's bidirectional stream (dcf.v1 Invokes or the compat Invokes) to one
 * replica's Calls stream. The first request names the function and pins the replica.
 * Flow control is end to end: the next request is read from the caller only when the
 * replica's stream is ready, so a slow function slows its caller instead of filling
 * the gateway's memory.
 *
 * @param <Q> the caller's request type
 * @param <R> the caller's reply type
 */
final class StreamRelay<Q, R> implements StreamObserver<Q> {

    private final Invoker invoker;
    private final StreamObserver<R> replies;
    private final Function<Q, String> functionOf;
    private final Function<Q, CallRequest> toCall;
    private final Function<CallReply, R> toReply;
    private final ServerCallStreamObserver<R> flow;
    private FunctionStream upstream;
    private final IdleWatch idle = new IdleWatch(this::idled);
    private String function;
    private volatile boolean closed;
    private boolean waitingForReady;

    StreamRelay(Invoker invoker, StreamObserver<R> replies, Function<Q, String> functionOf,
                Function<Q, CallRequest> toCall, Function<CallReply, R> toReply) {
        this.invoker = invoker;
        this.replies = new SerializingObserver<>(replies);
        this.functionOf = functionOf;
        this.toCall = toCall;
        this.toReply = toReply;
        this.flow = replies instanceof ServerCallStreamObserver<R> server ? server : null;
        if (flow != null) {
            flow.disableAutoRequest();
            flow.request(1);
        }
    }

    @Override
    public void onNext(Q value) {
        if (closed) {
            return;
        }
        if (upstream == null && !open(functionOf.apply(value))) {
            return;
        }
        idle.touch();
        CallRequest call = toCall.apply(value);
        upstream.onNext(call.getFunction().isEmpty() ? call.toBuilder().setFunction(function).build() : call);
        requestNext();
    }

    /** Reads the caller's next request now if the replica can take it, else once it can. */
    private synchronized void requestNext() {
        if (flow == null || closed) {
            return;
        }
        if (upstream.isReady()) {
            flow.request(1);
        } else {
            waitingForReady = true;
        }
    }

    private synchronized void upstreamReady() {
        if (waitingForReady && !closed) {
            waitingForReady = false;
            flow.request(1);
        }
    }

    private boolean open(String name) {
        if (name.isEmpty()) {
            fail(Status.INVALID_ARGUMENT.withDescription("the first message of a stream must name the function"));
            return false;
        }
        try {
            function = name;
            upstream = invoker.openStream(name, new StreamObserver<>() {
                @Override
                public void onNext(CallReply reply) {
                    idle.touch();
                    replies.onNext(toReply.apply(reply));
                }

                @Override
                public void onError(Throwable t) {
                    idle.stop();
                    replies.onError(ErrorMapping.toStatus(t).asRuntimeException());
                }

                @Override
                public void onCompleted() {
                    idle.stop();
                    replies.onCompleted();
                }
            }, this::upstreamReady);
            idle.start(upstream.idleWindow());
            return true;
        } catch (RuntimeException e) {
            fail(ErrorMapping.toStatus(e));
            return false;
        }
    }

    /** Nothing passed either way for the idle window: the stream ends, freeing the replica's slot. */
    private void idled() {
        closed = true;
        upstream.end(Status.DEADLINE_EXCEEDED.withDescription("stream to function " + function + " idle for "
                + IdleWatch.describe(upstream.idleWindow()) + " (no message either way; see "
                + "dcf.gateway.stream-idle-timeout)"));
    }

    private void fail(Status status) {
        closed = true;
        replies.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
        closed = true;
        if (upstream != null) {
            idle.stop();
            upstream.onError(Status.CANCELLED.withDescription("the caller cancelled the stream").asRuntimeException());
        }
    }

    @Override
    public void onCompleted() {
        if (closed) {
            return;
        }
        closed = true;
        if (upstream != null) {
            upstream.onCompleted();
        } else {
            replies.onCompleted();
        }
    }
}
