package io.dcf.gateway.backend.kubernetes;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.build.service.BuildServiceSettings;
import io.dcf.gateway.error.DcfException;
import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.LayerChunk;
import io.dcf.proto.v1.LayerStart;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * build-service's AddLayer over gRPC (Armeria's client): the model file is streamed by
 * {@link ChunkedUpload} (1 MiB chunks, sent only while the transport is ready), under one deadline
 * for the upload and the build.
 */
final class BuilderModelImages implements ModelImages {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String address;
    private final Duration deadline;
    private final Supplier<Optional<String>> token;
    private final ClientFactory factory;
    private final BuilderGrpc.BuilderStub stub;

    BuilderModelImages(BuildServiceSettings settings) {
        requireNonNull(settings, "settings");
        this.address = settings.address();
        this.deadline = settings.timeout();
        this.token = settings.token();
        this.factory = ClientFactory.builder().build();
        this.stub = GrpcClients.builder("h2c://" + address).factory(factory)
                .responseTimeoutMillis(0) // the call carries its own gRPC deadline
                .writeTimeoutMillis(0)
                .maxRequestMessageLength(ChunkedUpload.MAX_MESSAGE_BYTES)
                .build(BuilderGrpc.BuilderStub.class);
    }

    @Override
    public String addLayer(String baseImage, ModelFile model) {
        LayerStart start = LayerStart.newBuilder().setFunction(model.function()).setBaseImage(baseImage)
                .setPath(model.path()).setSizeBytes(model.bytes()).setTag(tag(model))
                .build();
        BuildStatus status;
        try (InputStream in = Files.newInputStream(model.file())) {
            ChunkedUpload<LayerChunk, BuildStatus> upload = new ChunkedUpload<>(
                    LayerChunk.newBuilder().setStart(start).build(), in,
                    data -> LayerChunk.newBuilder().setData(data).build(), sent -> { });
            withToken(stub).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).addLayer(upload);
            status = upload.reply().get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw unreadable(model, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw unreadable(model, io);
            }
            Status s = Status.fromThrowable(e.getCause());
            throw new DcfException(s.getCode() == Status.Code.UNAVAILABLE ? Status.Code.UNAVAILABLE
                    : s.getCode() == Status.Code.INVALID_ARGUMENT || s.getCode() == Status.Code.RESOURCE_EXHAUSTED
                            ? s.getCode() : Status.Code.FAILED_PRECONDITION,
                    "function " + model.function() + ": build-service at " + address + " refused the model layer: "
                            + s.getCode() + (s.getDescription() == null ? "" : " " + s.getDescription()));
        } catch (TimeoutException e) {
            throw new DcfException(Status.Code.DEADLINE_EXCEEDED, "function " + model.function()
                    + ": build-service at " + address + " did not answer within " + deadline.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcfException(Status.Code.ABORTED, "interrupted while adding the model of function "
                    + model.function());
        }
        if (status.getPhase() != BuildPhase.BUILD_PHASE_SUCCEEDED || status.getImage().isEmpty()) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + model.function()
                    + ": build-service could not add the model layer (build " + status.getId() + "): "
                    + status.getMessage());
        }
        return status.getImage();
    }

    @Override
    public void close() {
        factory.close();
    }

    /** The stub sending the gateway's token (read per call: it may rotate), as the build seam does. */
    private BuilderGrpc.BuilderStub withToken(BuilderGrpc.BuilderStub stub) {
        return token.get().map(t -> {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + t);
            return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }).orElse(stub);
    }

    private static UncheckedIOException unreadable(ModelFile model, IOException e) {
        return new UncheckedIOException("cannot read the spooled model of function " + model.function(), e);
    }

    /** {@code model-<first 12 hex digits of the model's sha256>}: a tag a registry listing explains. */
    static String tag(ModelFile model) {
        String hex = model.digest().startsWith("sha256:") ? model.digest().substring(7) : model.digest();
        return "model-" + hex.substring(0, Math.min(12, hex.length())).replaceAll("[^a-f0-9]", "");
    }
}
