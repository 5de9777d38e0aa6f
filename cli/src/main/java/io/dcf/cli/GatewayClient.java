package io.dcf.cli;

import io.dcf.proto.v1.GatewayGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A plaintext gRPC channel to the gateway. Every call goes through
 * {@link #call(String, Duration, Function)}, which sets its deadline and turns a gRPC
 * status into a {@link CliException} with a one-line message.
 */
public final class GatewayClient implements AutoCloseable {

    /** The default deadline of management calls (list, get, delete, scale). */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    /**
     * The deadline of deploy and update calls: the gateway compiles Java sources, installs
     * requirements.txt into a virtual environment, and waits (60 s by default) for each
     * new replica of a rolling update.
     */
    public static final Duration DEPLOY_DEADLINE = Duration.ofMinutes(10);

    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final GatewayAddress address;
    private final ManagedChannel channel;

    private GatewayClient(GatewayAddress address, ManagedChannel channel) {
        this.address = address;
        this.channel = channel;
    }

    /** Opens a channel (lazily connected) to {@code address}. */
    public static GatewayClient connect(GatewayAddress address) {
        requireNonNull(address, "address");
        ManagedChannel channel = ManagedChannelBuilder.forAddress(address.host(), address.port())
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .userAgent("dcf-cli")
                .build();
        return new GatewayClient(address, channel);
    }

    public GatewayAddress address() {
        return address;
    }

    /**
     * Runs one call with a deadline. {@code function} names the function concerned,
     * for the NOT_FOUND message; null when the call is not about one function.
     */
    public <T> T call(String function, Duration deadline, Function<GatewayGrpc.GatewayBlockingStub, T> rpc) {
        GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .withMaxInboundMessageSize(MAX_MESSAGE_BYTES)
                .withMaxOutboundMessageSize(MAX_MESSAGE_BYTES);
        try {
            return rpc.apply(stub);
        } catch (StatusRuntimeException e) {
            throw GatewayErrors.toCliException(e, address, function, deadline);
        }
    }

    /** True when {@code e} means "no such function". */
    public static boolean isNotFound(CliException e) {
        return e.getCause() instanceof StatusRuntimeException sre
                && sre.getStatus().getCode() == Status.Code.NOT_FOUND;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
