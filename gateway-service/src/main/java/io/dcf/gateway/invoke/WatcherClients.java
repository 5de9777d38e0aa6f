package io.dcf.gateway.invoke;

import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpRequest;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.proto.v1.WatcherGrpc;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * gRPC stubs for replicas, one per replica. The stubs share Armeria's default
 * client factory, so connections are pooled and run on the server's event loops.
 * A stream the replica ended (or the gateway cancelled) while the gateway was still
 * sending is reset quietly instead of logging a stack trace (see
 * {@link ReplicaFailures#quietAbort}); unary calls send their one request whole and skip it.
 * Another instance (the replica stats poller's) shares the same pooled connections: the
 * client factory, not this map, owns them.
 */
public final class WatcherClients {

    /** Replicas get new ports when they restart; past this many stubs the map starts over. */
    private static final int MAX_STUBS = 1024;

    /** The path of {@code dcf.v1.Watcher/Call}, whose request is complete before it is sent. */
    private static final String UNARY_CALL = "/" + WatcherGrpc.getCallMethod().getFullMethodName();

    /** The watcher contract's header for the replica secret. */
    static final String REPLICA_SECRET = Endpoint.SECRET_HEADER;

    private final int maxMessageBytes;
    /** By endpoint object (identity): a resolver hands out one per replica for the replica's life. */
    private final ConcurrentMap<Endpoint, WatcherGrpc.WatcherStub> stubs = new ConcurrentHashMap<>();

    public WatcherClients(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The replica's stub, sending its secret with every call; give each call its own deadline. */
    public WatcherGrpc.WatcherStub stub(Endpoint endpoint) {
        if (stubs.size() > MAX_STUBS) {
            stubs.clear(); // stubs are cheap to rebuild; connections stay pooled in the client factory
        }
        WatcherGrpc.WatcherStub stub = stubs.get(endpoint); // a restarted replica is a new Endpoint, new secret and all
        return stub != null ? stub : stubs.computeIfAbsent(endpoint, this::client);
    }

    private WatcherGrpc.WatcherStub client(Endpoint endpoint) {
        GrpcClientBuilder builder = GrpcClients.builder("h2c://" + endpoint.authority());
        if (!endpoint.secret().isEmpty()) {
            builder.addHeader(REPLICA_SECRET, endpoint.secret());
        }
        return builder
                .responseTimeoutMillis(0) // every call carries its own gRPC deadline
                .writeTimeoutMillis(0)
                .maxResponseLength(0)
                .maxRequestMessageLength(maxMessageBytes)
                .maxResponseMessageLength(maxMessageBytes)
                .decorator((delegate, ctx, req) -> {
                    if (UNARY_CALL.equals(ctx.path())) {
                        return delegate.execute(ctx, req);
                    }
                    HttpRequest quiet = req.mapError(ReplicaFailures::quietAbort);
                    ctx.updateRequest(quiet);
                    return delegate.execute(ctx, quiet);
                })
                .build(WatcherGrpc.WatcherStub.class);
    }
}
