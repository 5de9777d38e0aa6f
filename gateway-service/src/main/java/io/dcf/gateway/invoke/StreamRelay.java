package io.dcf.gateway.invoke;

import io.dcf.gateway.backend.Route;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Relays a caller's bidirectional stream (dcf.v1 Invokes or the compat Invokes) to one
 * replica's Calls stream. The first request names the function and pins the replica; when
 * the function is at zero the stream waits for one (the first request is held, nothing more is
 * read from the caller meanwhile, and a half-close is passed on once the stream is open).
 * Flow control is end to end in both directions, each paced by a {@link RelayWindow}: the
 * caller's next request is read while what went to the replica and is not yet sent stays under
 * the window, and the replica's next reply likewise towards the caller. So a slow function
 * slows its caller, and a caller that does not read slows the function, instead of filling the
 * gateway's memory; within the window several frames are on their way at once.
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
    private volatile RelayWindow requestWindow;
    private volatile RelayWindow replyWindow;
    /** The first request while the stream waits for a replica; null otherwise. Guarded by this. */
    private Q held;
    private boolean halfClosedWhileHeld;

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
            flow.setOnReadyHandler(this::callerReady);
            flow.request(1);
        }
    }

    @Override
    public void onNext(Q value) {
        if (closed) {
            return;
        }
        if (upstream == null) {
            synchronized (this) {
                if (held != null) {
                    fail(Status.FAILED_PRECONDITION.withDescription("a second request arrived before the stream to"
                            + " function " + function + " was open"));
                    return;
                }
            }
            if (!awaitRoute(value)) {
                return;
            }
        }
        send(value);
    }

    private void send(Q value) {
        idle.touch();
        CallRequest call = toCall.apply(value);
        if (call.getFunction().isEmpty()) {
            call = call.toBuilder().setFunction(function).build();
        }
        upstream.onNext(call);
        requestWindow.passed(call.getSerializedSize());
    }

    /** One more request from the caller (none after the end, nor when the caller's flow is not ours to drive). */
    private void requestFromCaller() {
        if (flow != null && !closed) {
            flow.request(1);
        }
    }

    /** The replica's stream sent all it was given. */
    private void upstreamReady() {
        RelayWindow window = requestWindow;
        if (window != null) {
            window.drained();
        }
    }

    /** The caller's stream sent all the replies it was given. */
    private void callerReady() {
        RelayWindow window = replyWindow;
        if (window != null) {
            window.drained();
        }
    }

    /**
     * Opens the stream now when a replica is ready (true: send {@code first}); else holds
     * {@code first} until one is and sends it then (false).
     */
    private boolean awaitRoute(Q first) {
        String name = functionOf.apply(first);
        if (name.isEmpty()) {
            fail(Status.INVALID_ARGUMENT.withDescription("the first message of a stream must name the function"));
            return false;
        }
        function = name;
        CompletableFuture<Route> route;
        try {
            route = invoker.streamRoute(name);
        } catch (RuntimeException e) {
            fail(ErrorMapping.toStatus(e));
            return false;
        }
        if (route.isDone() && !route.isCompletedExceptionally()) {
            return open(route.join());
        }
        synchronized (this) {
            held = first;
        }
        route.whenComplete((ready, error) -> {
            Q value;
            boolean halfClosed;
            synchronized (this) {
                value = held;
                held = null;
                halfClosed = halfClosedWhileHeld;
            }
            if (closed && !halfClosed) {
                return; // the caller went away while waiting
            }
            if (error != null) {
                fail(ErrorMapping.toStatus(error));
            } else if (open(ready)) {
                closed = false;
                send(value);
                if (halfClosed) {
                    onCompleted();
                }
            }
        });
        return false;
    }

    private boolean open(Route route) {
        String name = function;
        try {
            upstream = invoker.openStream(name, route, new StreamObserver<>() {
                @Override
                public void onNext(CallReply reply) {
                    idle.touch();
                    replies.onNext(toReply.apply(reply));
                    replyWindow.passed(reply.getSerializedSize());
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
            FunctionStream opened = upstream;
            requestWindow = new RelayWindow(RelayWindow.DEFAULT_BYTES, opened::isReady, this::requestFromCaller);
            replyWindow = new RelayWindow(RelayWindow.DEFAULT_BYTES, flow != null ? flow::isReady : () -> true,
                    opened::requestReply);
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
        synchronized (this) {
            if (held != null) { // still waiting for a replica: end the stream once it is open
                halfClosedWhileHeld = true;
                closed = true;
                return;
            }
        }
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
