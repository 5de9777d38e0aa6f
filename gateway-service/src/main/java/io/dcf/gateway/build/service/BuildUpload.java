package io.dcf.gateway.build.service;

import com.google.protobuf.ByteString;
import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code Builder.Build} upload through {@link ChunkedUpload}: {@code start}, then the bundle
 * in 1 MiB chunks, each sent only when the stream is ready (gRPC flow control: a slow
 * build-service slows the sender instead of filling its buffers). Blocks the caller until
 * build-service answers.
 */
final class BuildUpload {

    private BuildUpload() {
    }

    /**
     * Uploads {@code bundle} and returns the accepted build's status.
     *
     * @throws StatusRuntimeException what build-service (or the deadline) ended the call with
     */
    static BuildStatus send(BuilderGrpc.BuilderStub stub, BuildStart start, ByteString bundle, Deadline deadline) {
        ChunkedUpload<BuildChunk, BuildStatus> upload = new ChunkedUpload<>(
                BuildChunk.newBuilder().setStart(start).build(), bundle.newInput(),
                data -> BuildChunk.newBuilder().setData(data).build(), sent -> { });
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<BuildChunk> requests =
                (ClientCallStreamObserver<BuildChunk>) stub.withDeadline(deadline).build(upload);
        try {
            // the call's own deadline ends it; the extra second only covers that error's delivery
            return upload.reply().get(deadline.timeRemaining(TimeUnit.MILLISECONDS) + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException sre ? sre
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            requests.cancel("no answer to the upload in time", e);
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer to the upload in time").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requests.cancel("interrupted while uploading", e);
            throw Status.CANCELLED.withDescription("interrupted while uploading").asRuntimeException();
        }
    }
}
