package io.dcf.gateway.invoke;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.proto.v1.WatcherGrpc;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * gRPC stubs for replicas, one per host:port. The stubs share Armeria's default
 * client factory, so connections are pooled and run on the server's event loops.
 */
final class WatcherClients {

    /** Replicas get new ports when they restart; past this many stubs the map starts over. */
    private static final int MAX_STUBS = 1024;

    private final int maxMessageBytes;
    private final ConcurrentMap<String, WatcherGrpc.WatcherStub> stubs = new ConcurrentHashMap<>();

    WatcherClients(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    WatcherGrpc.WatcherStub stub(Endpoint endpoint) {
        if (stubs.size() > MAX_STUBS) {
            stubs.clear(); // stubs are cheap to rebuild; connections stay pooled in the client factory
        }
        return stubs.computeIfAbsent(endpoint.authority(), authority -> GrpcClients
                .builder("h2c://" + authority)
                .responseTimeoutMillis(0) // every call carries its own gRPC deadline
                .writeTimeoutMillis(0)
                .maxResponseLength(0)
                .maxRequestMessageLength(maxMessageBytes)
                .maxResponseMessageLength(maxMessageBytes)
                .build(WatcherGrpc.WatcherStub.class));
    }
}
