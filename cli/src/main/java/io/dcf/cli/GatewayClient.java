package io.dcf.cli;

import io.dcf.proto.v1.GatewayGrpc;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A gRPC channel to the gateway (plaintext, or TLS with {@code --tls}/{@code --ca}), sending
 * the {@link BearerToken} (when there is one) with every call. Every call goes through
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
    private final ManagedChannel managed;
    private final Channel channel;
    private final Optional<BearerToken> token;
    private final boolean tls;

    private GatewayClient(GatewayAddress address, ManagedChannel managed, Optional<BearerToken> token, boolean tls) {
        this.address = address;
        this.managed = managed;
        this.token = token;
        this.tls = tls;
        this.channel = BearerToken.attach(managed, token);
    }

    /** Opens a plaintext channel (lazily connected) to {@code address} without a token (Health, open functions). */
    public static GatewayClient connect(GatewayAddress address) {
        return connect(address, Optional.empty());
    }

    /** Opens a plaintext channel (lazily connected) to {@code address} that sends {@code token} with every call. */
    public static GatewayClient connect(GatewayAddress address, Optional<BearerToken> token) {
        return connect(address, token, InsecureChannelCredentials.create());
    }

    /** Opens a channel (lazily connected) to {@code address}, over TLS or not by {@code credentials}. */
    public static GatewayClient connect(GatewayAddress address, Optional<BearerToken> token,
                                        ChannelCredentials credentials) {
        requireNonNull(address, "address");
        requireNonNull(token, "token");
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(address.host(), address.port(), credentials)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .userAgent("dcf-cli")
                .build();
        return new GatewayClient(address, channel, token, !(credentials instanceof InsecureChannelCredentials));
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
            throw failure(e, function, deadline);
        }
    }

    /**
     * Runs one streaming call (an upload) with a deadline on the asynchronous stub: {@code rpc}
     * starts it and returns its reply's future, which is awaited; errors as for {@link #call}.
     */
    public <T> T stream(String function, Duration deadline,
                        Function<GatewayGrpc.GatewayStub, CompletableFuture<T>> rpc) {
        GatewayGrpc.GatewayStub stub = GatewayGrpc.newStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .withMaxInboundMessageSize(MAX_MESSAGE_BYTES)
                .withMaxOutboundMessageSize(MAX_MESSAGE_BYTES);
        try {
            return rpc.apply(stub).get();
        } catch (ExecutionException e) {
            throw failure(e.getCause() instanceof StatusRuntimeException sre ? sre
                    : Status.fromThrowable(e.getCause()).asRuntimeException(), function, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.GATEWAY, "interrupted while waiting for the gateway", e);
        }
    }

    private CliException failure(StatusRuntimeException e, String function, Duration deadline) {
        if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
            return new CliException(ExitCode.GATEWAY, GatewayErrors.unauthenticated(e.getStatus(), address, token), e);
        }
        if (!tls && GatewayErrors.closedByPeer(e.getStatus())) {
            return new CliException(ExitCode.GATEWAY, GatewayErrors.plaintextRefused(address), e);
        }
        return GatewayErrors.toCliException(e, address, function, deadline);
    }

    /** True when {@code e} means "no such function". */
    public static boolean isNotFound(CliException e) {
        return e.getCause() instanceof StatusRuntimeException sre
                && sre.getStatus().getCode() == Status.Code.NOT_FOUND;
    }

    /** True when {@code e} means the gateway does not serve the method (an older gateway). */
    public static boolean isUnimplemented(CliException e) {
        return e.getCause() instanceof StatusRuntimeException sre
                && sre.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
    }

    @Override
    public void close() {
        managed.shutdownNow();
        try {
            managed.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
