package io.dcf.build.model;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.LayerChunk;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * {@code dcf.v1.Builder/AddLayer}: receives the file (streamed to {@code workDir}, never held in
 * memory, at most {@code maxBytes}), then builds and pushes the image with {@link ModelLayerBuilder}
 * and answers with the build's final status: SUCCEEDED with the image by digest, or FAILED with
 * why. Bad requests (no base image, a bad path, too large) end the call with INVALID_ARGUMENT or
 * RESOURCE_EXHAUSTED instead. The builder's {@code addLayer} hands its call here.
 */
public final class AddLayerUploads {

    private final Path workDir;
    private final long maxBytes;
    private final ModelLayerBuilder builder;
    private final Executor blocking;

    /**
     * @param workDir  where uploads are written while they arrive (one file each, deleted after)
     * @param maxBytes the largest file accepted
     * @param builder  makes and pushes the image
     * @param blocking runs the file writes and the build (never an event loop)
     */
    public AddLayerUploads(Path workDir, long maxBytes, ModelLayerBuilder builder, Executor blocking) {
        this.workDir = requireNonNull(workDir, "workDir");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
        this.maxBytes = maxBytes;
        this.builder = requireNonNull(builder, "builder");
        this.blocking = requireNonNull(blocking, "blocking");
    }

    /** The request observer of one AddLayer call; messages are requested one at a time. */
    public StreamObserver<LayerChunk> receive(StreamObserver<BuildStatus> response) {
        ServerCallStreamObserver<BuildStatus> call = (ServerCallStreamObserver<BuildStatus>) response;
        call.disableAutoRequest();
        LayerReceiver receiver = new LayerReceiver(call, blocking, workDir, maxBytes, builder);
        call.request(1);
        return receiver;
    }
}
