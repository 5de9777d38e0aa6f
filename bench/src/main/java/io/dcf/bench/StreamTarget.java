package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.WatcherGrpc;
import java.util.function.BiFunction;

/**
 * A target that echoes a bidirectional stream of frames: a watcher's {@code Calls} or the
 * gateway's {@code Invokes}. Streams have no deadline of their own: {@link StreamLoop} ends
 * them, and cancels one that outlives its patience.
 */
final class StreamTarget {

    private final String name;
    private final BiFunction<byte[], EchoStream.Listener, EchoStream<?, ?>> opener;

    private StreamTarget(String name, BiFunction<byte[], EchoStream.Listener, EchoStream<?, ?>> opener) {
        this.name = name;
        this.opener = opener;
    }

    /** {@code dcf.v1.Watcher/Calls} straight at a replica, on one HTTP/2 connection. */
    static StreamTarget watcher(ClientFactory factory, String authority, String function) {
        WatcherGrpc.WatcherStub stub = GrpcClients.builder("h2c://" + authority).factory(factory)
                .responseTimeoutMillis(0).maxResponseLength(0).build(WatcherGrpc.WatcherStub.class);
        return new StreamTarget("direct stream", (frame, listener) -> {
            CallRequest request = CallRequest.newBuilder().setFunction(function).setInput(ByteString.copyFrom(frame))
                    .setContentType(GatewayHttpTarget.CONTENT_TYPE).build();
            EchoStream<CallRequest, CallReply> stream = new EchoStream<>(request, r -> r.getOutput().size(), listener);
            stub.calls(stream);
            return stream;
        });
    }

    /** {@code dcf.v1.Gateway/Invokes} through the gateway, on one HTTP/2 connection. */
    static StreamTarget gateway(ClientFactory factory, String authority, String function) {
        GatewayGrpc.GatewayStub stub = GrpcClients.builder("h2c://" + authority).factory(factory)
                .responseTimeoutMillis(0).maxResponseLength(0).build(GatewayGrpc.GatewayStub.class);
        return new StreamTarget("gateway stream", (frame, listener) -> {
            InvokeRequest request = InvokeRequest.newBuilder().setFunction(function)
                    .setInput(ByteString.copyFrom(frame)).setContentType(GatewayHttpTarget.CONTENT_TYPE).build();
            EchoStream<InvokeRequest, InvokeReply> stream =
                    new EchoStream<>(request, r -> r.getOutput().size(), listener);
            stub.invokes(stream);
            return stream;
        });
    }

    /** "direct stream" or "gateway stream". */
    String name() {
        return name;
    }

    /** Opens one stream whose every request carries {@code frame} as its input. */
    EchoStream<?, ?> open(byte[] frame, EchoStream.Listener listener) {
        return opener.apply(requireNonNull(frame, "frame"), requireNonNull(listener, "listener"));
    }
}
