package io.dcf.cli.function;

import static java.util.Objects.requireNonNull;

import io.dcf.cli.BearerToken;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildEventsRequest;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.GetBuildRequest;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The CLI's client of build-service ({@code dcf.v1.Builder}, plaintext gRPC at the address the
 * gateway's {@code Info.build_service} names), sending the gateway's token: uploads a bundle
 * ({@link ChunkedUpload}: 1 MiB chunks as the stream takes them), follows a build's events, cancels a build.
 */
final class BuildServiceClient implements AutoCloseable {

    /** How long a whole build may take, upload and push included. */
    static final Duration BUILD_DEADLINE = Duration.ofMinutes(15);

    private final String address;
    private final ManagedChannel managed;
    private final Channel channel;

    private BuildServiceClient(String address, ManagedChannel managed, Optional<BearerToken> token) {
        this.address = address;
        this.managed = managed;
        this.channel = BearerToken.attach(managed, token);
    }

    /** A client of the build-service at {@code address} ({@code host:port}). */
    static BuildServiceClient connect(String address, Optional<BearerToken> token) {
        requireNonNull(address, "address");
        ManagedChannel channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
                .userAgent("dcf-cli").build();
        return new BuildServiceClient(address, channel, requireNonNull(token, "token"));
    }

    String address() {
        return address;
    }

    /**
     * Uploads {@code bundle} after {@code start} and returns the accepted build, telling
     * {@code uploaded} the bytes sent so far after each chunk.
     */
    BuildStatus upload(BuildStart start, Path bundle, LongConsumer uploaded) {
        try (InputStream in = Files.newInputStream(bundle)) {
            ChunkedUpload<BuildChunk, BuildStatus> upload = new ChunkedUpload<>(
                    BuildChunk.newBuilder().setStart(start).build(), in,
                    data -> BuildChunk.newBuilder().setData(data).build(), uploaded);
            @SuppressWarnings("unchecked")
            ClientCallStreamObserver<BuildChunk> requests = (ClientCallStreamObserver<BuildChunk>) BuilderGrpc
                    .newStub(channel).withDeadlineAfter(BUILD_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).build(upload);
            try {
                return upload.reply().get(); // the call's deadline ends it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requests.cancel("upload abandoned", e);
                throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw unreadable(bundle, io);
            }
            throw BuildServiceErrors.of(e.getCause() instanceof StatusRuntimeException sre ? sre
                    : Status.fromThrowable(e.getCause()).asRuntimeException(), address, "upload");
        } catch (IOException e) {
            throw unreadable(bundle, e);
        } catch (StatusRuntimeException e) {
            throw BuildServiceErrors.of(e, address, "upload");
        }
    }

    private static CliException unreadable(Path bundle, IOException e) {
        return CliException.usage("cannot read the bundle " + bundle + ": " + e.getMessage());
    }

    /** Follows build {@code id}, handing each event to {@code events}; returns the final status. */
    BuildStatus follow(String id, Consumer<BuildEvent> events) {
        try {
            Iterator<BuildEvent> it = BuilderGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(BUILD_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .events(BuildEventsRequest.newBuilder().setId(id).build());
            while (it.hasNext()) {
                BuildEvent event = it.next();
                events.accept(event);
                if (event.hasDone()) {
                    return event.getDone();
                }
            }
        } catch (StatusRuntimeException e) {
            throw BuildServiceErrors.of(e, address, "build " + id);
        }
        throw new CliException(ExitCode.GATEWAY, "build-service at " + address + " ended the events of build " + id
                + " before the build ended");
    }

    /** Cancels build {@code id}, waiting at most {@code deadline}. */
    BuildStatus cancel(String id, Duration deadline) {
        try {
            return BuilderGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .cancel(GetBuildRequest.newBuilder().setId(id).build());
        } catch (StatusRuntimeException e) {
            throw BuildServiceErrors.of(e, address, "cancelling build " + id);
        }
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
