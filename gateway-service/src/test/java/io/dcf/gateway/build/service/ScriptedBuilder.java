package io.dcf.gateway.build.service;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildEventsRequest;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.GetBuildRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A small in-process dcf.v1.Builder on a real loopback port for the client's protocol tests:
 * it records what arrives (chunks in order, the authorization header, cancels) and answers
 * as a test scripts it. The real build-service is exercised by BuildServiceOnRealServiceIT.
 */
final class ScriptedBuilder extends BuilderGrpc.BuilderImplBase implements AutoCloseable {

    final List<BuildChunk> chunks = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    /** The answer to a complete upload: a status, or an error to end the call with. */
    volatile Function<List<BuildChunk>, Object> uploadAnswer = chunks -> BuildStatus.newBuilder().setId("b-1")
            .setBuilder("jib").build();
    /** The events of a build, sent in order; the stream stays open after them when {@code hang}. */
    volatile List<BuildEvent> events = List.of();
    volatile boolean hang;
    /** When >= 0: the upload is refused (RESOURCE_EXHAUSTED) once this many data chunks arrived. */
    volatile int refuseAfter = -1;
    private final Server server;

    ScriptedBuilder() {
        server = Server.builder().http(new InetSocketAddress("127.0.0.1", 0))
                .service(GrpcService.builder().addService(this).build()).build();
        server.start().join();
    }

    String address() {
        return "127.0.0.1:" + server.activeLocalPort();
    }

    ByteString bundle() {
        return chunks.stream().filter(BuildChunk::hasData).map(BuildChunk::getData)
                .reduce(ByteString.EMPTY, ByteString::concat);
    }

    @Override
    public StreamObserver<BuildChunk> build(StreamObserver<BuildStatus> responses) {
        authorizations.add(String.valueOf(ServiceRequestContext.current().request().headers().get("authorization")));
        return new StreamObserver<>() {
            private boolean refused;

            @Override
            public void onNext(BuildChunk chunk) {
                chunks.add(chunk);
                if (!refused && refuseAfter >= 0 && chunks.stream().filter(BuildChunk::hasData).count() >= refuseAfter) {
                    refused = true;
                    responses.onError(Status.RESOURCE_EXHAUSTED.withDescription("bundle: larger than 1 MiB")
                            .asRuntimeException());
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                if (refused) {
                    return;
                }
                Object answer = uploadAnswer.apply(chunks);
                if (answer instanceof Status status) {
                    responses.onError(status.asRuntimeException());
                } else {
                    responses.onNext((BuildStatus) answer);
                    responses.onCompleted();
                }
            }
        };
    }

    @Override
    public void events(BuildEventsRequest request, StreamObserver<BuildEvent> responses) {
        events.forEach(responses::onNext);
        if (!hang) {
            responses.onCompleted();
        }
    }

    @Override
    public void cancel(GetBuildRequest request, StreamObserver<BuildStatus> responses) {
        cancelled.add(request.getId());
        responses.onNext(BuildStatus.newBuilder().setId(request.getId()).build());
        responses.onCompleted();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
