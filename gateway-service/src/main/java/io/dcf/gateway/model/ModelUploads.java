package io.dcf.gateway.model;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.ModelChunk;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Receives {@code UpdateModel} uploads: each file is streamed to {@code spoolDir} (never held in
 * memory), its sha256 computed as it arrives, its size bounded, then handed to the backend.
 */
public final class ModelUploads {

    private final Path spoolDir;
    private final long maxBytes;

    /**
     * @param spoolDir where uploads are written while they arrive (on the same file system as the
     *                 local backend's functions, so the file is moved, not copied)
     * @param maxBytes the largest model file accepted
     */
    public ModelUploads(Path spoolDir, long maxBytes) {
        this.spoolDir = requireNonNull(spoolDir, "spoolDir");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The request observer of one {@code UpdateModel} call. A few messages are requested ahead and
     * each is written in order on the request's blocking executor; {@code exists} checks the function before the
     * bytes come; {@code apply} runs once the file is complete and answers the call.
     */
    public StreamObserver<ModelChunk> receive(StreamObserver<FunctionStatus> response, Consumer<String> exists,
                                              Function<ModelFile, FunctionStatus> apply) {
        ServerCallStreamObserver<FunctionStatus> call = (ServerCallStreamObserver<FunctionStatus>) response;
        call.disableAutoRequest();
        ModelReceiver receiver = new ModelReceiver(call, ServiceRequestContext.current().blockingTaskExecutor(),
                spoolDir, maxBytes, exists, apply);
        call.request(ModelReceiver.IN_FLIGHT);
        return receiver;
    }
}
