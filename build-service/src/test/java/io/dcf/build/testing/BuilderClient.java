package io.dcf.build.testing;

import com.google.protobuf.ByteString;
import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildEventsRequest;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GetBuildRequest;
import io.dcf.proto.v1.LayerChunk;
import io.dcf.proto.v1.LayerStart;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A gRPC client of build-service for tests: every call with a deadline, the token when given. */
public final class BuilderClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final BuilderGrpc.BuilderStub async;
    private final BuilderGrpc.BuilderBlockingStub blocking;

    public BuilderClient(int port, String token) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        async = BuilderGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        blocking = BuilderGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public static FunctionSpec spec(String name, String runtime) {
        return FunctionSpec.newBuilder().setName(name).setRuntime(runtime).build();
    }

    /** Uploads {@code bundle} in 1 MiB chunks after {@code start}; the reply (the build queued) or the error. */
    public BuildStatus build(BuildStart start, byte[] bundle) throws Exception {
        return upload(async.withDeadlineAfter(60, TimeUnit.SECONDS)::build,
                BuildChunk.newBuilder().setStart(start.toBuilder().setBundleBytes(bundle.length)).build(), bundle,
                data -> BuildChunk.newBuilder().setData(data).build(), 90);
    }

    /** AddLayer: {@code file} in 1 MiB chunks after {@code start}; the final status or the error. */
    public BuildStatus addLayer(LayerStart start, byte[] file) throws Exception {
        return upload(async.withDeadlineAfter(120, TimeUnit.SECONDS)::addLayer,
                LayerChunk.newBuilder().setStart(start).build(), file,
                data -> LayerChunk.newBuilder().setData(data).build(), 120);
    }

    /** A client-streamed upload by {@link ChunkedUpload}: {@code first}, then the content, as the stream takes it. */
    private static <T> BuildStatus upload(Function<StreamObserver<BuildStatus>, StreamObserver<T>> call, T first,
                                          byte[] content, Function<ByteString, T> chunk, int waitSeconds)
            throws Exception {
        ChunkedUpload<T, BuildStatus> upload = new ChunkedUpload<>(first, new ByteArrayInputStream(content), chunk,
                sent -> { });
        call.apply(upload);
        try {
            return upload.reply().get(waitSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** Every event of the build, replayed then followed until {@code done} (the last one). */
    public List<BuildEvent> follow(String id) {
        List<BuildEvent> events = new ArrayList<>();
        Iterator<BuildEvent> it = blocking.withDeadlineAfter(5, TimeUnit.MINUTES)
                .events(BuildEventsRequest.newBuilder().setId(id).build());
        it.forEachRemaining(events::add);
        return events;
    }

    /** The final status: the {@code done} of the last event. */
    public BuildStatus awaitEnd(String id) {
        List<BuildEvent> events = follow(id);
        return events.get(events.size() - 1).getDone();
    }

    public BuilderGrpc.BuilderBlockingStub blocking() {
        return blocking.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public BuildStatus get(String id) {
        return blocking().get(GetBuildRequest.newBuilder().setId(id).build());
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
