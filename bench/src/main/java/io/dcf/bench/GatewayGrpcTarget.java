package io.dcf.bench;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Invokes a function through the gateway's gRPC API: one HTTP/2 connection, a deadline per call. */
final class GatewayGrpcTarget implements Target {

    private final GatewayGrpc.GatewayStub stub;
    private final InvokeRequest request;

    GatewayGrpcTarget(ClientFactory factory, String authority, String function, byte[] payload, Duration timeout) {
        this.stub = GrpcClients.builder("h2c://" + authority)
                               .factory(factory)
                               .responseTimeout(timeout)
                               .maxResponseLength(0)
                               .build(GatewayGrpc.GatewayStub.class);
        this.request = InvokeRequest.newBuilder()
                                    .setFunction(function)
                                    .setInput(ByteString.copyFrom(payload))
                                    .setContentType(GatewayHttpTarget.CONTENT_TYPE)
                                    .build();
    }

    @Override
    public String name() {
        return "gateway gRPC";
    }

    @Override
    public CompletableFuture<Integer> call() {
        UnaryFuture<InvokeReply> reply = new UnaryFuture<>();
        stub.invoke(request, reply);
        return reply.thenApply(r -> r.getOutput().size());
    }
}
