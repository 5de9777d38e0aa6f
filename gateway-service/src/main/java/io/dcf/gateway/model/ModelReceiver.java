package io.dcf.gateway.model;

import io.dcf.common.SerialExecutor;
import io.dcf.common.SpoolFile;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.function.FunctionSpecs;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.ModelStart;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code UpdateModel} upload. Messages are handled in order, one after another, on the
 * blocking executor (a chain of tasks, so the work never runs concurrently with itself); at most
 * {@link #IN_FLIGHT} chunks are requested ahead of the one being written, so memory holds a few
 * chunks at most while the next ones already cross the connection. Whatever ends the upload, the
 * spooled file is removed.
 */
final class ModelReceiver implements StreamObserver<ModelChunk> {

    private static final Logger log = LoggerFactory.getLogger(ModelReceiver.class);
    /** Chunks requested ahead of the one being written. */
    static final int IN_FLIGHT = 4;

    private final ServerCallStreamObserver<FunctionStatus> call;
    private final SerialExecutor inOrder;
    private final Path spoolDir;
    private final long maxBytes;
    private final Consumer<String> exists;
    private final Function<ModelFile, FunctionStatus> apply;

    private ModelStart start;
    private String path;
    private SpoolFile file;
    private MessageDigest sha256;
    private boolean ended;

    ModelReceiver(ServerCallStreamObserver<FunctionStatus> call, Executor blocking, Path spoolDir, long maxBytes,
                  Consumer<String> exists, Function<ModelFile, FunctionStatus> apply) {
        this.call = call;
        this.inOrder = new SerialExecutor(blocking);
        this.spoolDir = spoolDir;
        this.maxBytes = maxBytes;
        this.exists = exists;
        this.apply = apply;
    }

    @Override
    public void onNext(ModelChunk chunk) {
        inOrder.execute(() -> received(chunk));
    }

    private synchronized void received(ModelChunk chunk) {
        if (ended) {
            return;
        }
        try {
            if (chunk.hasStart()) {
                begin(chunk.getStart());
            } else {
                write(chunk);
            }
            call.request(1);
        } catch (SpoolFile.TooLargeException e) {
            fail(tooLarge(start.getName(), e.bytes()));
        } catch (RuntimeException | IOException e) {
            fail(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        inOrder.execute(this::cancelled);
    }

    private synchronized void cancelled() {
        if (!ended) {
            ended = true;
            log.info("Model upload for function={} ended by the client after {} bytes", name(),
                    file == null ? 0 : file.bytes());
            cleanUp();
        }
    }

    @Override
    public void onCompleted() {
        inOrder.execute(this::completed);
    }

    private synchronized void completed() {
        if (ended) {
            return;
        }
        try {
            ModelFile model = finish();
            FunctionStatus status = apply.apply(model);
            ended = true;
            cleanUp();
            call.onNext(status);
            call.onCompleted();
        } catch (RuntimeException | IOException e) {
            fail(e);
        }
    }

    private void begin(ModelStart first) throws IOException {
        if (start != null) {
            throw new DcfException(Status.Code.INVALID_ARGUMENT, "function " + name()
                    + ": a second `start` message in one upload (expected: start, then data)");
        }
        FunctionSpecs.checkName(first.getName());
        String resolved = ModelPaths.resolve(first.getName(), first.getPath(), first.getFileName());
        if (first.getSizeBytes() > maxBytes) {
            throw tooLarge(first.getName(), first.getSizeBytes());
        }
        exists.accept(first.getName());
        start = first;
        path = resolved;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        file = SpoolFile.create(spoolDir, first.getName() + "-", ".model", maxBytes);
    }

    private void write(ModelChunk chunk) throws IOException {
        if (start == null) {
            throw new DcfException(Status.Code.INVALID_ARGUMENT,
                    "the first message of an UpdateModel upload must be `start` (the function's name and the path)");
        }
        chunk.getData().writeTo(file.append(chunk.getData().size()));
        sha256.update(chunk.getData().asReadOnlyByteBuffer());
    }

    private ModelFile finish() throws IOException {
        if (start == null) {
            throw new DcfException(Status.Code.INVALID_ARGUMENT,
                    "an UpdateModel upload without a `start` message (expected: start, then the file's bytes)");
        }
        file.finish();
        long received = file.bytes();
        if (received == 0) {
            throw new DcfException(Status.Code.INVALID_ARGUMENT, "function " + name() + ": the model file is empty");
        }
        if (start.getSizeBytes() > 0 && start.getSizeBytes() != received) {
            throw new DcfException(Status.Code.INVALID_ARGUMENT, "function " + name() + ": received " + received
                    + " bytes of a model file announced as " + start.getSizeBytes() + " bytes (the upload was cut)");
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        log.info("Received model for function={} path={} bytes={} digest={}", name(), path, received, digest);
        return new ModelFile(start.getName(), path, file.path(), digest, received);
    }

    private void fail(Exception e) {
        ended = true;
        cleanUp();
        Status status = ErrorMapping.toStatus(e instanceof IOException io
                ? new DcfException(Status.Code.INTERNAL, "cannot write the model file of function " + name()
                        + " to the gateway's disk: " + io.getMessage(), io)
                : e);
        if (status.getCode() == Status.Code.INTERNAL) {
            log.error("Model upload for function={} failed", name(), e);
        }
        call.onError(status.asRuntimeException());
    }

    private DcfException tooLarge(String function, long bytes) {
        return new DcfException(Status.Code.RESOURCE_EXHAUSTED, "function " + function + ": the model file has "
                + (start == null ? "" : "at least ") + bytes + " bytes (expected: at most " + maxBytes
                + "; dcf.gateway.max-model-size)");
    }

    private void cleanUp() {
        try {
            if (file != null) {
                file.close();
            }
        } catch (IOException e) {
            log.warn("Cannot remove the spooled model file {}: {}", file.path(), e.getMessage());
        }
    }

    private String name() {
        return start == null ? "?" : start.getName();
    }
}
