package io.dcf.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.LayerChunk;
import io.dcf.proto.v1.LayerStart;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ChunkedUpload against a real gRPC server (Builder/AddLayer) on 127.0.0.1. */
class ChunkedUploadTest {

    private static final LayerChunk START = LayerChunk.newBuilder()
            .setStart(LayerStart.newBuilder().setFunction("fn")).build();

    /** What the server does with a call: receives all and answers, or answers at once. */
    private volatile boolean answerAtOnce;
    private final List<LayerChunk> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Status> serverSaw = new CompletableFuture<>();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(ChunkedUpload.MAX_MESSAGE_BYTES)
                .addService(new BuilderGrpc.BuilderImplBase() {
                    @Override
                    public StreamObserver<LayerChunk> addLayer(StreamObserver<BuildStatus> reply) {
                        return new Receiver(reply);
                    }
                }).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void upload_sendsStartThenTheBytesInChunks_andReportsProgress() throws Exception {
        byte[] file = bytes(2 * ChunkedUpload.CHUNK_BYTES + 12_345);
        List<Long> progress = new CopyOnWriteArrayList<>();

        BuildStatus status = upload(new ByteArrayInputStream(file), progress).get(60, TimeUnit.SECONDS);

        assertThat(status.getMessage()).isEqualTo("received " + file.length);
        assertThat(received.get(0)).isEqualTo(START);
        assertThat(received.subList(1, received.size())).extracting(c -> c.getData().size())
                .containsExactly(ChunkedUpload.CHUNK_BYTES, ChunkedUpload.CHUNK_BYTES, 12_345);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (LayerChunk chunk : received.subList(1, received.size())) {
            chunk.getData().writeTo(joined);
        }
        assertThat(joined.toByteArray()).isEqualTo(file);
        assertThat(progress).containsExactly((long) ChunkedUpload.CHUNK_BYTES, 2L * ChunkedUpload.CHUNK_BYTES,
                (long) file.length);
    }

    @Test
    void upload_anEarlyReply_completesTheUploadAndStopsReading() throws Exception {
        answerAtOnce = true;
        CountingStream in = new CountingStream(new ByteArrayInputStream(bytes(64 * ChunkedUpload.CHUNK_BYTES)));

        BuildStatus status = upload(in, new CopyOnWriteArrayList<>()).get(60, TimeUnit.SECONDS);

        assertThat(status.getMessage()).isEqualTo("refused at once");
        assertThat(in.read).isLessThan(64L * ChunkedUpload.CHUNK_BYTES);
    }

    @Test
    void upload_aReadFailure_cancelsTheCallAndFailsWithTheIoException() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };

        CompletableFuture<BuildStatus> reply = upload(broken, new CopyOnWriteArrayList<>());

        assertThatThrownBy(() -> reply.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class).hasMessage("disk gone");
        assertThat(serverSaw.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
    }

    @Test
    void upload_endedByAServerWithoutAReply_failsInternal() throws Exception {
        // grpc-java's own server refuses to end AddLayer without a status (it resets the stream):
        // this one breaks the contract by declaring the method bidi.
        MethodDescriptor<LayerChunk, BuildStatus> bidi = BuilderGrpc.getAddLayerMethod().toBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING).build();
        Server lax = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder(BuilderGrpc.SERVICE_NAME)
                        .addMethod(bidi, ServerCalls.asyncBidiStreamingCall(reply -> new StreamObserver<LayerChunk>() {
                            @Override
                            public void onNext(LayerChunk chunk) {
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                reply.onCompleted();
                            }
                        })).build())
                .build().start();
        ManagedChannel toLax = NettyChannelBuilder.forAddress("127.0.0.1", lax.getPort()).usePlaintext().build();
        try {
            ChunkedUpload<LayerChunk, BuildStatus> upload = new ChunkedUpload<>(START,
                    new ByteArrayInputStream(bytes(10)), data -> LayerChunk.newBuilder().setData(data).build(),
                    sent -> { });
            BuilderGrpc.newStub(toLax).withDeadlineAfter(60, TimeUnit.SECONDS).addLayer(upload);

            assertThatThrownBy(() -> upload.reply().get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("INTERNAL")
                    .hasMessageContaining("without a reply");
        } finally {
            toLax.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            lax.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private CompletableFuture<BuildStatus> upload(InputStream in, List<Long> progress) {
        ChunkedUpload<LayerChunk, BuildStatus> upload = new ChunkedUpload<>(START, in,
                data -> LayerChunk.newBuilder().setData(data).build(), progress::add);
        BuilderGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).addLayer(upload);
        return upload.reply();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private final class Receiver implements StreamObserver<LayerChunk> {
        private final StreamObserver<BuildStatus> reply;
        private long bytes;
        private boolean answered;

        Receiver(StreamObserver<BuildStatus> reply) {
            this.reply = reply;
        }

        @Override
        public void onNext(LayerChunk chunk) {
            received.add(chunk);
            bytes += chunk.getData().size();
            if (answerAtOnce && !answered) {
                answered = true;
                reply.onNext(BuildStatus.newBuilder().setMessage("refused at once").build());
                reply.onCompleted();
            }
        }

        @Override
        public void onError(Throwable t) {
            serverSaw.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            serverSaw.complete(Status.OK);
            if (answered) {
                return;
            }
            reply.onNext(BuildStatus.newBuilder().setMessage("received " + bytes).build());
            reply.onCompleted();
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends java.io.FilterInputStream {
        volatile long read;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
