package io.dcf.cli.function;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.dcf.cli.BearerToken;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
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
import io.grpc.StatusRuntimeException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The CLI's client of build-service ({@code dcf.v1.Builder}, plaintext gRPC at the address the
 * gateway's {@code Info.build_service} names), sending the gateway's token: uploads a bundle in
 * 1 MiB chunks as the stream takes them, follows a build's events, cancels a build.
 */
final class BuildServiceClient implements AutoCloseable {

    /** The largest data chunk the Builder API takes. */
    static final int CHUNK_BYTES = 1 << 20;
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
        BundleStream stream = new BundleStream(BuilderGrpc.newStub(channel)
                .withDeadlineAfter(BUILD_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        try (InputStream in = Files.newInputStream(bundle)) {
            stream.send(BuildChunk.newBuilder().setStart(start).build());
            byte[] buffer = new byte[CHUNK_BYTES];
            long sent = 0;
            int n;
            while (!stream.ended() && (n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                stream.send(BuildChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
                sent += n;
                uploaded.accept(sent);
            }
            return stream.finish();
        } catch (IOException e) {
            stream.cancel(e);
            throw CliException.usage("cannot read the bundle " + bundle + ": " + e.getMessage());
        } catch (StatusRuntimeException e) {
            throw BuildServiceErrors.of(e, address, "upload");
        }
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
