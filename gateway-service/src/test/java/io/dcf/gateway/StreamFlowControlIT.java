package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow control of relayed streams in the direction GatewayIT's slow function does not cover:
 * a caller that sends as fast as it may but reads no reply. A real gateway, the real hello-java
 * watcher echoing every frame, a real grpc-java client.
 */
class StreamFlowControlIT {

    private static final int FRAMES = 400;
    private static final ByteString FRAME = ByteString.copyFrom(new byte[256 * 1024]);

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void startGateway() {
        gw = TestGateway.start(tmp.resolve("home"));
        FunctionStatus status = gw.deployJava("hello-java", TestGateway.EXAMPLES.resolve("hello-java"));
        assertThat(status.getReadyReplicas()).isEqualTo(1);
    }

    @AfterAll
    static void stopGateway() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void invokes_aCallerThatReadsNoReply_stopsTheStreamUntilItReads() {
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger echoed = new AtomicInteger();
        AtomicInteger wrongSize = new AtomicInteger();
        AtomicReference<ClientCallStreamObserver<InvokeRequest>> call = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        GatewayGrpc.newStub(gw.channel).withDeadlineAfter(5, TimeUnit.MINUTES).invokes(
                new ClientResponseObserver<InvokeRequest, InvokeReply>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<InvokeRequest> requests) {
                        call.set(requests);
                        requests.disableAutoRequestWithInitial(0); // reads no reply until told
                        requests.setOnReadyHandler(() -> {
                            // As fast as the stream accepts: only flow control holds the caller back.
                            while (requests.isReady() && sent.get() < FRAMES) {
                                requests.onNext(InvokeRequest.newBuilder().setFunction("hello-java")
                                        .setInput(FRAME).build());
                                if (sent.incrementAndGet() == FRAMES) {
                                    requests.onCompleted();
                                }
                            }
                        });
                    }

                    @Override
                    public void onNext(InvokeReply reply) {
                        echoed.incrementAndGet();
                        if (reply.getOutput().size() != FRAME.size()) {
                            wrongSize.incrementAndGet();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });

        // The caller is held back once every buffer on the way is full: sending stops.
        AtomicInteger lastSeen = new AtomicInteger(-1);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).during(Duration.ofSeconds(3))
               .until(() -> sent.get() == lastSeen.getAndSet(sent.get()));
        int sentWhileNotReading = sent.get();
        // Without flow control towards the caller the gateway would take every echo (100 MiB) and the
        // caller would send all 400 frames; with it only the HTTP/2 windows, the gateway's relay
        // windows (1 MiB each way) and the watcher's small read-ahead and reply buffer are in between.
        assertThat(sentWhileNotReading).isPositive().isLessThan(150);
        assertThat(echoed).hasValue(0);

        call.get().request(Integer.MAX_VALUE); // now the caller reads: everything flows to the end
        await().atMost(Duration.ofMinutes(2)).until(done::isDone);
        assertThat(done).isCompleted();
        assertThat(sent).hasValue(FRAMES);
        assertThat(echoed).hasValue(FRAMES);
        assertThat(wrongSize).hasValue(0);
    }
}
