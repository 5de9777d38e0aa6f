package io.dcf.build.service;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.dcf.build.model.AddLayerUploads;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildEventsRequest;
import io.dcf.proto.v1.BuildLog;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.GetBuildRequest;
import io.dcf.proto.v1.LayerChunk;
import io.dcf.proto.v1.ListBuildsReply;
import io.dcf.proto.v1.ListBuildsRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code dcf.v1.Builder}: Build (upload), Events, Get, List, Log, Cancel, and AddLayer when it is configured. */
final class BuildGrpcService extends BuilderGrpc.BuilderImplBase {

    private static final Logger log = LoggerFactory.getLogger(BuildGrpcService.class);
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

    private final BuildServices services;
    private final Optional<AddLayerUploads> layers;

    BuildGrpcService(BuildServices services, Optional<AddLayerUploads> layers) {
        this.services = services;
        this.layers = layers;
    }

    @Override
    public StreamObserver<LayerChunk> addLayer(StreamObserver<BuildStatus> responseObserver) {
        if (layers.isEmpty()) {
            responseObserver.onError(Status.UNIMPLEMENTED.withDescription("AddLayer is not configured in this"
                    + " build-service").asRuntimeException());
            return new NoLayer();
        }
        return layers.get().receive(responseObserver);
    }

    @Override
    public StreamObserver<BuildChunk> build(StreamObserver<BuildStatus> responseObserver) {
        return new Upload(services, responseObserver);
    }

    @Override
    public void events(BuildEventsRequest request, StreamObserver<BuildEvent> responseObserver) {
        BuildRecord record;
        try {
            record = services.registry().get(request.getId());
        } catch (RuntimeException e) {
            responseObserver.onError(BuildErrors.toStatus(e).asRuntimeException());
            return;
        }
        new EventFollower(record.events(), (ServerCallStreamObserver<BuildEvent>) responseObserver,
                ServiceRequestContext.current().eventLoop()).start();
    }

    @Override
    public void get(GetBuildRequest request, StreamObserver<BuildStatus> responseObserver) {
        reply(responseObserver, () -> services.registry().get(request.getId()).status());
    }

    @Override
    public void list(ListBuildsRequest request, StreamObserver<ListBuildsReply> responseObserver) {
        reply(responseObserver, () -> ListBuildsReply.newBuilder()
                .addAllBuilds(services.registry().list(request.getFunction())).build());
    }

    @Override
    public void log(GetBuildRequest request, StreamObserver<BuildLog> responseObserver) {
        reply(responseObserver, () -> services.registry().get(request.getId()).logSnapshot());
    }

    /** Cancels, then answers once the build has ended (or after {@link #CANCEL_WAIT} with its status then). */
    @Override
    public void cancel(GetBuildRequest request, StreamObserver<BuildStatus> responseObserver) {
        BuildRecord record;
        try {
            record = services.registry().get(request.getId());
        } catch (RuntimeException e) {
            responseObserver.onError(BuildErrors.toStatus(e).asRuntimeException());
            return;
        }
        if (record.requestCancel("")) {
            log.info("Cancelling function={} build={}", record.function(), record.id());
        }
        record.finished().copy().orTimeout(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((s, e) -> {
            responseObserver.onNext(record.status());
            responseObserver.onCompleted();
        });
    }

    /** Ignores the messages of an AddLayer call already refused. */
    private static final class NoLayer implements StreamObserver<LayerChunk> {
        @Override
        public void onNext(LayerChunk value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }

    private static <T> void reply(StreamObserver<T> observer, Supplier<T> answer) {
        T value;
        try {
            value = answer.get();
        } catch (RuntimeException e) {
            observer.onError(BuildErrors.toStatus(e).asRuntimeException());
            return;
        }
        observer.onNext(value);
        observer.onCompleted();
    }
}
