package io.dcf.bench;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.WatcherGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Calls a replica directly, the way the gateway does: one HTTP/2 connection, a deadline per call. */
final class WatcherGrpcTarget implements Target {

    private final WatcherGrpc.WatcherStub stub;
    private final CallRequest request;

    WatcherGrpcTarget(ClientFactory factory, String authority, String function, byte[] payload, Duration timeout) {
        this.stub = GrpcClients.builder("h2c://" + authority)
                               .factory(factory)
                               .responseTimeout(timeout)
                               .maxResponseLength(0)
                               .build(WatcherGrpc.WatcherStub.class);
        this.request = CallRequest.newBuilder()
                                  .setFunction(function)
                                  .setInput(ByteString.copyFrom(payload))
                                  .setContentType(GatewayHttpTarget.CONTENT_TYPE)
                                  .build();
    }

    @Override
    public String name() {
        return "direct gRPC";
    }

    @Override
    public CompletableFuture<Integer> call() {
        UnaryFuture<CallReply> reply = new UnaryFuture<>();
        stub.call(request, reply);
        return reply.thenApply(r -> r.getOutput().size());
    }
}
