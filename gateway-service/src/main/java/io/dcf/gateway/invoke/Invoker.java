package io.dcf.gateway.invoke;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.error.BackendUnavailableException;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.function.FunctionSpecs;
import io.dcf.gateway.metrics.Invocation;
import io.dcf.gateway.metrics.InvocationMeters;
import io.dcf.gateway.metrics.StreamInvocation;
import io.dcf.gateway.scale.ActivationQueues;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one invocation path every protocol shares: resolve the function, pick a ready
 * replica round-robin, call it with a deadline. Never blocks: a call to an autoscaled
 * function without a ready replica waits in the {@link ActivationQueues} as a future.
 */
public final class Invoker {

    /** Extra time the gateway waits beyond a function's timeout, so the replica's own timeout answers first. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(1);
    /** The longest one stream may stay open. */
    static final Duration STREAM_DEADLINE = Duration.ofHours(1);

    private final EndpointResolver resolver;
    private final Duration defaultTimeout;
    private final long defaultMaxBody;
    private final WatcherClients clients;
    private final InvocationMeters meters;
    private final Duration streamIdleTimeout;
    private final ExpectedEndLog ends = new ExpectedEndLog(Duration.ofSeconds(10), System::nanoTime);
    private final OutlierDetector outliers;
    private final ConcurrentMap<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
    /** Null: no call ever waits for a replica (tests of the plain path). */
    private final ActivationQueues activation;

    public Invoker(EndpointResolver resolver, Duration defaultTimeout, long defaultMaxBody,
                   int maxMessageBytes, InvocationMeters meters, Duration streamIdleTimeout) {
        this(resolver, defaultTimeout, defaultMaxBody, maxMessageBytes, meters, streamIdleTimeout, null);
    }

    public Invoker(EndpointResolver resolver, Duration defaultTimeout, long defaultMaxBody,
                   int maxMessageBytes, InvocationMeters meters, Duration streamIdleTimeout,
                   ActivationQueues activation) {
        this.activation = activation;
        this.resolver = requireNonNull(resolver, "resolver");
        this.defaultTimeout = requireNonNull(defaultTimeout, "defaultTimeout");
        this.defaultMaxBody = defaultMaxBody;
        this.clients = new WatcherClients(maxMessageBytes);
        this.meters = requireNonNull(meters, "meters");
        this.outliers = new OutlierDetector(resolver);
        this.streamIdleTimeout = requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    }

    /**
     * The function's route; throws FunctionNotFoundException for an unknown name, and
     * InvalidFunctionSpecException naming the rule when it is not a function name at all
     * (checked only on a miss, so calls to known functions pay nothing).
     */
    public Route route(String function) {
        try {
            return resolver.route(function);
        } catch (FunctionNotFoundException e) {
            FunctionSpecs.checkName(function);
            throw e;
        }
    }

    /** The largest body the function accepts, in bytes. */
    public long maxBody(Route route) {
        long own = route.spec().getMaxBodyBytes();
        return own > 0 ? own : defaultMaxBody;
    }

    /** The longest one call to the function may run. */
    public Duration timeout(Route route) {
        return route.spec().hasTimeout() ? Duration.ofMillis(Durations.toMillis(route.spec().getTimeout()))
                                         : defaultTimeout;
    }

    /** The gateway's invocation meters, for the protocols that end their calls themselves. */
    public InvocationMeters meters() {
        return meters;
    }

    /**
     * Calls the function once and measures the call, ending it with the HTTP code the one error
     * table gives its outcome. A call the chosen replica provably did not process (the
     * connection was refused, or the replica is draining) is sent once more to another
     * ready replica. The future fails with a DcfException or StatusRuntimeException.
     */
    public CompletableFuture<CallReply> call(String function, CallRequest request) {
        Route route;
        try {
            route = route(function);
        } catch (RuntimeException e) {
            meters.startUnknown().end(ErrorMapping.httpCode(e));
            ends.record(function, ErrorMapping.toStatus(e));
            return CompletableFuture.failedFuture(e);
        }
        Invocation invocation = meters.start(function);
        CompletableFuture<CallReply> result = call(function, route, request, invocation);
        result.whenComplete((reply, error) -> invocation.end(error == null ? 200 : ErrorMapping.httpCode(error)));
        return result;
    }

    /**
     * Calls the function of {@code route} once, reporting the time spent on replicas to
     * {@code invocation}, which the caller ends.
     */
    CompletableFuture<CallReply> call(String function, Route route, CallRequest request, Invocation invocation) {
        CompletableFuture<CallReply> result = new CompletableFuture<>();
        result.whenComplete((reply, error) -> {
            if (error != null) {
                ends.record(function, ErrorMapping.toStatus(error));
            }
        });
        try {
            checkBody(function, route, request.getInput().size());
            if (activation != null && activation.mustWait(function, route)) {
                long queued = System.nanoTime();
                activation.await(function, route).whenComplete((ready, error) -> {
                    invocation.upstream(System.nanoTime() - queued); // waiting for a replica is not the gateway's own time
                    if (error != null) {
                        result.completeExceptionally(error);
                        return;
                    }
                    result.whenComplete((reply, failure) -> activation.done(function));
                    try {
                        attempt(function, request, ready, null, invocation, result);
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
            } else {
                attempt(function, request, route, null, invocation, result);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * The route to open a stream on: done at once, unless the function is autoscaled and has no
     * ready replica, then once one is ready (or failed: paused, queue full, timed out).
     */
    CompletableFuture<Route> streamRoute(String function) {
        Route route;
        try {
            route = route(function);
        } catch (RuntimeException e) {
            throw refused(meters.startStream(InvocationMeters.UNKNOWN), e);
        }
        if (activation == null || !activation.mustWait(function, route)) {
            return CompletableFuture.completedFuture(route);
        }
        return activation.await(function, route).whenComplete((ready, error) -> {
            if (error == null) {
                activation.done(function); // the stream holds its slot from here on; the queue counts it in flight
            } else { // paused, queue full or timed out: the stream ends before it reached a replica
                StreamInvocation stream = meters.startStream(function);
                stream.sent();
                stream.end(ErrorMapping.httpCode(error));
            }
        });
    }

    private void attempt(String function, CallRequest request, Route route, Endpoint failed,
                         Invocation invocation, CompletableFuture<CallReply> result) {
        Endpoint endpoint = failed == null ? pick(function, route) : pickOther(function, route, failed);
        long deadlineMillis = timeout(route).plus(DEADLINE_MARGIN).toMillis();
        endpoint.acquire();
        long sent = System.nanoTime();
        clients.stub(endpoint).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
               .call(request, new UnaryObserver(endpoint, sent, invocation, reply -> {
                   outliers.answered(endpoint);
                   result.complete(reply);
               }, error -> {
                   outliers.failed(function, endpoint, error);
                   if (failed != null || !ReplicaFailures.notProcessed(error)) {
                       result.completeExceptionally(ReplicaFailures.forCaller(error, function));
                       return;
                   }
                   try {
                       attempt(function, request, resolver.route(function), endpoint, invocation, result);
                   } catch (RuntimeException e) {
                       result.completeExceptionally(ReplicaFailures.forCaller(error, function));
                   }
               }));
    }

    /**
     * Opens a stream to one replica of the function; replies go to {@code replies} in
     * order, and {@code onReady} runs whenever the replica can take more requests.
     */
    FunctionStream openStream(String function, StreamObserver<CallReply> replies, Runnable onReady) {
        Route route;
        try {
            route = route(function);
        } catch (RuntimeException e) {
            throw refused(meters.startStream(InvocationMeters.UNKNOWN), e);
        }
        return openStream(function, route, replies, onReady);
    }

    /** Like {@link #openStream(String, StreamObserver, Runnable)} on a route already resolved. */
    FunctionStream openStream(String function, Route route, StreamObserver<CallReply> replies, Runnable onReady) {
        StreamInvocation stream = meters.startStream(function);
        Endpoint endpoint;
        try {
            endpoint = pick(function, route);
        } catch (RuntimeException e) {
            throw refused(stream, e);
        }
        long maxBody = maxBody(route);
        endpoint.acquire();
        ReleasingObserver upstreamReplies = new ReleasingObserver(replies, endpoint, onReady, function, ends, stream);
        StreamObserver<CallRequest> upstream = clients.stub(endpoint)
                .withDeadlineAfter(STREAM_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .calls(upstreamReplies);
        // A handler may work on one request for up to the function's timeout without a reply: not idle.
        Duration idleWindow = timeout(route).compareTo(streamIdleTimeout) > 0 ? timeout(route) : streamIdleTimeout;
        return new FunctionStream(upstream, upstreamReplies, function, maxBody, stream, idleWindow);
    }

    /**
     * Relays a caller's bidirectional stream to one replica: the first request names the
     * function, replies come back in order.
     */
    public <Q, R> StreamObserver<Q> relay(StreamObserver<R> replies, Function<Q, String> functionOf,
                                          Function<Q, CallRequest> toCall, Function<CallReply, R> toReply) {
        return new StreamRelay<>(this, replies, functionOf, toCall, toReply);
    }

    /** Ends a stream refused at its first message, that message counted with it. */
    private static RuntimeException refused(StreamInvocation stream, RuntimeException e) {
        stream.sent();
        stream.end(ErrorMapping.httpCode(e));
        return e;
    }

    private void checkBody(String function, Route route, int size) {
        long limit = maxBody(route);
        if (size > limit) {
            throw tooLarge(function, size, limit);
        }
    }

    static DcfException tooLarge(String function, long size, long limit) {
        return new DcfException(Status.Code.RESOURCE_EXHAUSTED,
                "request body of " + size + " bytes exceeds the limit of " + limit
                + " bytes for function " + function);
    }

    private Endpoint pick(String function, Route route) {
        List<Endpoint> endpoints = route.endpoints();
        if (endpoints.isEmpty()) {
            throw new BackendUnavailableException("function " + function + " has no ready replica");
        }
        int next = cursors.computeIfAbsent(function, f -> new AtomicInteger()).getAndIncrement();
        return endpoints.get(Math.floorMod(next, endpoints.size()));
    }

    /** Another ready endpoint than {@code failed}; throws BackendUnavailableException when there is none. */
    private Endpoint pickOther(String function, Route route, Endpoint failed) {
        List<Endpoint> others = route.endpoints().stream()
                .filter(e -> !e.authority().equals(failed.authority())).toList();
        return pick(function, new Route(route.spec(), others));
    }

    private static final class UnaryObserver implements StreamObserver<CallReply> {
        private final Endpoint endpoint;
        private final long sent;
        private final Invocation invocation;
        private final Consumer<CallReply> onReply;
        private final Consumer<Throwable> onFailure;
        private CallReply reply;

        UnaryObserver(Endpoint endpoint, long sent, Invocation invocation, Consumer<CallReply> onReply,
                      Consumer<Throwable> onFailure) {
            this.endpoint = endpoint;
            this.sent = sent;
            this.invocation = invocation;
            this.onReply = onReply;
            this.onFailure = onFailure;
        }

        @Override
        public void onNext(CallReply value) {
            reply = value;
        }

        @Override
        public void onError(Throwable t) {
            invocation.upstream(System.nanoTime() - sent);
            endpoint.release();
            onFailure.accept(t);
        }

        @Override
        public void onCompleted() {
            invocation.upstream(System.nanoTime() - sent);
            endpoint.release();
            onReply.accept(reply != null ? reply : CallReply.getDefaultInstance());
        }
    }
}
