package io.dcf.gateway.build.service;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.dcf.gateway.build.BuildListener;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GetBuildRequest;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds with build-service (Kubernetes mode): a Deploy or Update with code uploads it
 * ({@code Builder.Build}, bundle format zip, 1 MiB chunks, the gateway's token), follows the
 * build's events (logged with the build's id, relayed to the caller's listener) and returns the
 * image build-service pushed, by
 * digest. Without code the spec's image is used as it is. One deadline
 * ({@code dcf.gateway.build-service.timeout}) covers the upload, the build and the push; past
 * it the build is cancelled.
 */
public final class BuildServiceFunctionBuilder implements FunctionBuilder {

    private static final Logger log = LoggerFactory.getLogger(BuildServiceFunctionBuilder.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** The deadline of the Cancel sent when a build ran out of time. */
    private static final long CANCEL_SECONDS = 10;

    private final BuildServiceSettings settings;
    private final ClientFactory factory;
    private final BuilderGrpc.BuilderStub async;
    private final BuilderGrpc.BuilderBlockingStub blocking;

    private BuildServiceFunctionBuilder(BuildServiceSettings settings, ClientFactory factory) {
        this.settings = settings;
        this.factory = factory;
        GrpcClientBuilder clients = GrpcClients.builder("h2c://" + settings.address())
                .factory(factory)
                .responseTimeoutMillis(0) // every call carries its own gRPC deadline
                .writeTimeoutMillis(0)
                .maxResponseLength(0)
                .maxRequestMessageLength(ChunkedUpload.MAX_MESSAGE_BYTES);
        this.async = clients.build(BuilderGrpc.BuilderStub.class);
        this.blocking = clients.build(BuilderGrpc.BuilderBlockingStub.class);
    }

    /** A builder calling the build-service at {@code settings.address()}; close it to close its connections. */
    public static BuildServiceFunctionBuilder of(BuildServiceSettings settings) {
        return new BuildServiceFunctionBuilder(requireNonNull(settings, "settings"), ClientFactory.builder().build());
    }

    @Override
    public BuiltFunction build(FunctionSpec spec, Artifact artifact, BuildListener events) {
        if (artifact.getSourceCase() == Artifact.SourceCase.SOURCE_NOT_SET) {
            return PrebuiltImages.asIs(spec);
        }
        String name = spec.getName();
        Bundle bundle = Bundle.of(name, artifact);
        Deadline deadline = Deadline.after(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        BuildStart start = BuildStart.newBuilder().setSpec(spec).setBundleFormat(bundle.format())
                .setBundleBytes(bundle.bytes().size()).build();
        long began = System.nanoTime();
        BuildStatus accepted;
        try {
            accepted = BuildUpload.send(withToken(async), start, bundle.bytes(), deadline);
        } catch (StatusRuntimeException e) {
            throw BuildServiceErrors.upload(name, settings, e);
        }
        String id = accepted.getId();
        log.info("Build started function={} build={} builder={} bundle_bytes={} via={}", name, id,
                accepted.getBuilder(), bundle.bytes().size(), settings.address());
        BuildStatus done;
        try {
            done = BuildEventsFollower.follow(withToken(blocking), name, id, deadline, events);
        } catch (StatusRuntimeException e) {
            if (deadline.isExpired()) {
                cancel(name, id);
            }
            throw BuildServiceErrors.events(name, id, settings, e);
        }
        if (done.getPhase() != BuildPhase.BUILD_PHASE_SUCCEEDED) {
            log.info("Build {} function={} build={}: {}", BuildEventsFollower.phaseName(done.getPhase()), name, id,
                    done.getMessage());
            throw BuildServiceErrors.ended(name, done);
        }
        log.info("Build succeeded function={} build={} image={} layers={} ms={}", name, id, done.getImage(),
                done.getLayers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        return BuiltFunction.image(id, done.getImage());
    }

    @Override
    public String buildService() {
        return settings.advertisedAddress();
    }

    @Override
    public void close() {
        factory.close();
    }

    private void cancel(String function, String id) {
        try {
            withToken(blocking).withDeadlineAfter(CANCEL_SECONDS, TimeUnit.SECONDS)
                    .cancel(GetBuildRequest.newBuilder().setId(id).build());
            log.info("Cancelled function={} build={}: it ran past {}", function, id, settings.timeout());
        } catch (StatusRuntimeException e) {
            log.warn("Cannot cancel function={} build={}: {}", function, id, e.getStatus());
        }
    }

    private <S extends AbstractStub<S>> S withToken(S stub) {
        return settings.token().get().map(token -> {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }).orElse(stub);
    }
}
