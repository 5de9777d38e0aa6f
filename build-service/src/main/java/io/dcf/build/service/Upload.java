package io.dcf.build.service;

import io.dcf.build.BuildInput;
import io.dcf.build.bundle.BundleExtractor;
import io.dcf.build.bundle.BundleFormat;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Build} call: {@code start} opens a build and its work directory, the chunks go to
 * {@code bundle} there (at most the upload limit), the end unpacks and checks it, chooses the
 * builder and queues the build. Runs on a blocking-task thread (file I/O), one message at a time.
 */
final class Upload implements StreamObserver<BuildChunk> {

    private static final Logger log = LoggerFactory.getLogger(Upload.class);

    private final BuildServices services;
    private final StreamObserver<BuildStatus> response;
    private BuildStart start;
    private BuildRecord record;
    private BundleFormat format;
    private String repository;
    private OutputStream bundle;
    private long received;
    private boolean over;

    Upload(BuildServices services, StreamObserver<BuildStatus> response) {
        this.services = services;
        this.response = response;
    }

    @Override
    public void onNext(BuildChunk chunk) {
        if (over) {
            return;
        }
        try {
            if (start == null) {
                if (!chunk.hasStart()) {
                    throw BuildServiceException.invalid("the first message of Build must be start (spec, builder,"
                            + " repository), then the bundle's data");
                }
                begin(chunk.getStart());
            } else if (chunk.hasStart()) {
                throw BuildServiceException.invalid("build " + record.id() + ": start sent twice");
            } else {
                write(chunk.getData().toByteArray());
            }
        } catch (RuntimeException e) {
            refuse(e);
        }
    }

    private void begin(BuildStart first) {
        String function = BuildRequests.function(first);
        services.choice().runtime(first.getSpec());
        String requested = BuilderChoice.requested(first.getBuilder());
        if (requested.equals(BuilderChoice.KANIKO)) {
            services.requireBuilder(function, BuilderChoice.KANIKO, "asked for");
        }
        format = BundleFormat.of(first.getBundleFormat());
        repository = services.requests().repository(first, function);
        checkSize(function, first.getBundleBytes());
        start = first;
        record = services.registry().create(function);
        BuildRequests.tag(first, record.id(), function);
        try {
            Files.createDirectories(record.workDir());
            bundle = Files.newOutputStream(record.workDir().resolve("bundle"));
        } catch (IOException e) {
            throw new UncheckedIOException("build " + record.id() + ": cannot create " + record.workDir(), e);
        }
        log.info("Receiving function={} build={} ({} bytes announced)", function, record.id(), first.getBundleBytes());
    }

    private void write(byte[] data) {
        received += data.length;
        checkSize(record.function(), received);
        try {
            bundle.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("build " + record.id() + ": cannot write the bundle", e);
        }
        record.progress(received, start.getBundleBytes(), "bytes");
    }

    private void checkSize(String function, long bytes) {
        long max = services.limits().maxUpload();
        if (bytes > max) {
            throw new BuildServiceException(Status.Code.RESOURCE_EXHAUSTED, "function " + function + ": the bundle is"
                    + " larger than " + max + " bytes (dcf.build.bundle.max-upload)");
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!over && record != null) {
            over = true;
            close();
            record.fail("build " + record.id() + ": the upload ended early (" + Status.fromThrowable(t).getCode() + ")");
            WorkDirs.delete(record.workDir());
        }
        over = true;
    }

    @Override
    public void onCompleted() {
        if (over) {
            return;
        }
        try {
            if (start == null) {
                throw BuildServiceException.invalid("Build: no start message (the spec) was sent");
            }
            close();
            record.phase(BuildPhase.BUILD_PHASE_EXTRACTING);
            Path sources = record.workDir().resolve("src");
            BundleExtractor.Extracted x = services.extractor().extract(record.function(), record.workDir().resolve("bundle"),
                    format, sources);
            record.log("bundle: " + received + " bytes, " + x.entries() + " entries, " + x.bytes() + " bytes unpacked");
            BuilderChoice.Choice choice = services.choice().choose(start.getSpec(), start.getBuilder(), sources);
            services.requireBuilder(record.function(), choice.builder(), choice.reason());
            Path builderDir = Files.createDirectories(record.workDir().resolve("work"));
            BuildInput input = new BuildInput(record.id(), start.getSpec(), sources, builderDir, repository,
                    BuildRequests.tag(start, record.id(), record.function()));
            services.runner().submit(record, input, choice);
            over = true;
            response.onNext(record.status());
            response.onCompleted();
        } catch (IOException e) {
            refuse(new UncheckedIOException(e));
        } catch (RuntimeException e) {
            refuse(e);
        }
    }

    private void refuse(RuntimeException e) {
        over = true;
        close();
        Status status = BuildErrors.toStatus(e);
        if (record != null) {
            record.fail(status.getDescription());
            WorkDirs.delete(record.workDir());
        }
        response.onError(status.asRuntimeException());
    }

    private void close() {
        if (bundle != null) {
            try {
                bundle.close();
            } catch (IOException e) {
                log.debug("closing the bundle of build {}: {}", record.id(), e.toString());
            }
            bundle = null;
        }
    }
}
