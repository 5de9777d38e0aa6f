package io.dcf.gateway.invoke;

import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpRequest;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.proto.v1.WatcherGrpc;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * gRPC stubs for replicas, one per host:port. The stubs share Armeria's default
 * client factory, so connections are pooled and run on the server's event loops.
 * A stream the replica ended (or the gateway cancelled) while the gateway was still
 * sending is reset quietly instead of logging a stack trace (see
 * {@link ReplicaFailures#quietAbort}). Another instance (the replica stats poller's) shares the
 * same pooled connections: the client factory, not this map, owns them.
 */
public final class WatcherClients {

    /** Replicas get new ports when they restart; past this many stubs the map starts over. */
    private static final int MAX_STUBS = 1024;

    /** The watcher contract's header for the replica secret. */
    static final String REPLICA_SECRET = Endpoint.SECRET_HEADER;

    private final int maxMessageBytes;
    private final ConcurrentMap<String, WatcherGrpc.WatcherStub> stubs = new ConcurrentHashMap<>();

    public WatcherClients(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The replica's stub, sending its secret with every call; give each call its own deadline. */
    public WatcherGrpc.WatcherStub stub(Endpoint endpoint) {
        if (stubs.size() > MAX_STUBS) {
            stubs.clear(); // stubs are cheap to rebuild; connections stay pooled in the client factory
        }
        // keyed by address and secret: a restarted replica may reuse a port with a new secret
        return stubs.computeIfAbsent(endpoint.authority() + ' ' + endpoint.secret(), key -> client(endpoint));
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
                    HttpRequest quiet = req.mapError(ReplicaFailures::quietAbort);
                    ctx.updateRequest(quiet);
                    return delegate.execute(ctx, quiet);
                })
                .build(WatcherGrpc.WatcherStub.class);
    }
}
