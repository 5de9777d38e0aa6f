package io.dcf.build.model;

import com.google.protobuf.util.Timestamps;
import io.dcf.build.BuildEvents;
import io.dcf.build.BuildFailedException;
import io.dcf.build.BuiltImage;
import io.dcf.common.SerialExecutor;
import io.dcf.common.SpoolFile;
import io.dcf.proto.FunctionNames;
import io.dcf.proto.ModelPaths;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.LayerChunk;
import io.dcf.proto.v1.LayerStart;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AddLayer call: one message at a time is requested, and every event is handled in order on
 * the blocking executor (so the work never runs concurrently with itself, and the end of the
 * upload never overtakes its last chunk); whatever ends the call, the received file is deleted.
 */
final class LayerReceiver implements StreamObserver<LayerChunk> {

    private static final Logger log = LoggerFactory.getLogger(LayerReceiver.class);

    private final ServerCallStreamObserver<BuildStatus> call;
    private final SerialExecutor inOrder;
    private final Path workDir;
    private final long maxBytes;
    private final ModelLayerBuilder builder;
    private final String id = "layer-" + UUID.randomUUID().toString().substring(0, 8);
    private final BuildStatus.Builder status = BuildStatus.newBuilder().setId(id).setBuilder("jib")
            .setPhase(BuildPhase.BUILD_PHASE_RECEIVING).setCreated(Timestamps.now());

    private LayerStart start;
    private SpoolFile file;
    private boolean ended;

    LayerReceiver(ServerCallStreamObserver<BuildStatus> call, Executor blocking, Path workDir, long maxBytes,
                  ModelLayerBuilder builder) {
        this.call = call;
        this.inOrder = new SerialExecutor(blocking);
        this.workDir = workDir;
        this.maxBytes = maxBytes;
        this.builder = builder;
    }

    @Override
    public void onNext(LayerChunk chunk) {
        inOrder.execute(() -> received(chunk));
    }

    @Override
    public void onError(Throwable t) {
        inOrder.execute(this::cancelled);
    }

    @Override
    public void onCompleted() {
        inOrder.execute(this::completed);
    }

    private synchronized void received(LayerChunk chunk) {
        if (ended) {
            return;
        }
        try {
            if (chunk.hasStart()) {
                begin(chunk.getStart());
            } else if (start == null) {
                throw invalid("the first message of an AddLayer upload must be `start`");
            } else {
                chunk.getData().writeTo(file.append(chunk.getData().size()));
            }
            call.request(1);
        } catch (SpoolFile.TooLargeException e) {
            fail(tooLarge(e.bytes()));
        } catch (StatusRuntimeException | IOException e) {
            fail(e);
        }
    }

    private void begin(LayerStart first) throws IOException {
        if (start != null) {
            throw invalid("a second `start` message in one upload");
        }
        if (!FunctionNames.isValid(first.getFunction())) {
            throw invalid("function: '" + first.getFunction() + "' is not a valid function name");
        }
        if (first.getBaseImage().isBlank()) {
            throw invalid("function " + first.getFunction() + ": base_image: missing (the image to extend, by digest)");
        }
        try {
            ModelPaths.check(first.getPath());
        } catch (IllegalArgumentException e) {
            throw invalid("function " + first.getFunction() + ": " + e.getMessage());
        }
        if (first.getSizeBytes() > maxBytes) {
            throw tooLarge(first.getSizeBytes());
        }
        start = first;
        status.setFunction(first.getFunction());
        file = SpoolFile.create(workDir, id + "-", ".layer", maxBytes);
    }

    private synchronized void completed() {
        if (ended) {
            return;
        }
        try {
            if (start == null) {
                throw invalid("an AddLayer upload without a `start` message");
            }
            file.finish();
            if (start.getSizeBytes() > 0 && start.getSizeBytes() != file.bytes()) {
                throw invalid("function " + start.getFunction() + ": received " + file.bytes() + " bytes of a file"
                        + " announced as " + start.getSizeBytes() + " (the upload was cut)");
            }
            ended = true;
            BuildStatus done = build();
            cleanUp();
            call.onNext(done);
            call.onCompleted();
        } catch (StatusRuntimeException | IOException e) {
            fail(e);
        }
    }

    private BuildStatus build() {
        String repository = start.getRepository().isEmpty() ? repositoryOf(start.getBaseImage()) : start.getRepository();
        String tag = start.getTag().isEmpty() ? id : start.getTag();
        ModelLayer request = new ModelLayer(id, start.getFunction(), start.getBaseImage(), start.getPath(), file.path(),
                repository, tag);
        try {
            BuiltImage image = builder.build(request, new Events());
            log.info("AddLayer {} function={} pushed {}", id, start.getFunction(), image.reference());
            return status.setPhase(BuildPhase.BUILD_PHASE_SUCCEEDED).setImage(image.reference())
                    .setDigest(image.digest()).setFinished(Timestamps.now()).build();
        } catch (BuildFailedException | IllegalArgumentException e) {
            log.warn("AddLayer {} function={} failed: {}", id, start.getFunction(), e.getMessage());
            return status.setPhase(BuildPhase.BUILD_PHASE_FAILED).setMessage(e.getMessage())
                    .setFinished(Timestamps.now()).build();
        }
    }

    /** {@code registry/name} of a reference with a tag or a digest. */
    static String repositoryOf(String reference) {
        int at = reference.indexOf('@');
        String named = at >= 0 ? reference.substring(0, at) : reference;
        int colon = named.lastIndexOf(':');
        return colon > named.lastIndexOf('/') ? named.substring(0, colon) : named;
    }

    private synchronized void cancelled() {
        if (!ended) {
            ended = true;
            cleanUp();
        }
    }

    private void fail(Exception e) {
        ended = true;
        cleanUp();
        call.onError(e instanceof StatusRuntimeException sre ? sre
                : Status.INTERNAL.withDescription("cannot write the uploaded file: " + e.getMessage())
                        .asRuntimeException());
    }

    private void cleanUp() {
        try {
            if (file != null) {
                file.close();
            }
        } catch (IOException e) {
            log.warn("Cannot remove {}: {}", file.path(), e.getMessage());
        }
    }

    private StatusRuntimeException tooLarge(long bytes) {
        return Status.RESOURCE_EXHAUSTED.withDescription("the file has " + bytes + " bytes (expected: at most "
                + maxBytes + ")").asRuntimeException();
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /** Phases go into the status; log lines into the service log. */
    private final class Events implements BuildEvents {
        @Override
        public void phase(BuildPhase phase) {
            status.setPhase(phase);
        }

        @Override
        public void log(String line) {
            log.debug("AddLayer {}: {}", id, line);
        }

        @Override
        public void progress(long done, long total, String unit) {
        }

        @Override
        public boolean cancelled() {
            return call.isCancelled();
        }
    }
}
