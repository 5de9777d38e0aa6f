package io.dcf.gateway;

import static io.dcf.gateway.TestGateway.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.LogLine;
import io.dcf.proto.v1.LogsRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams that go quiet are ended by the gateway after {@code dcf.gateway.stream-idle-timeout}
 * (defect 7 of issue 6) and give their replica slot back; and replica logs rotate by size
 * while {@code logs --tail} still reads across the rotation (defect 6).
 */
class IdleStreamsAndLogsIT {

    private static final String LOG_LINE = "x".repeat(90);

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.local.max-concurrency=2",
                "--dcf.gateway.stream-idle-timeout=2s", "--dcf.gateway.local.log-max-size=16KB",
                "--dcf.gateway.local.log-files=3");
        Path py = Files.createDirectories(tmp.resolve("echo-py"));
        Files.writeString(py.resolve("handler.py"), """
                def Handler(req):
                    if req.input.startswith(b"print "):
                        for i in range(int(req.input[6:])):
                            print("line %05d " % i + "LOG_LINE")
                    yield req.input
                """.replace("LOG_LINE", LOG_LINE));
        gw.deploy("echo-py", py, FunctionSpec.newBuilder().setRuntime("python").setTimeout(Durations.fromSeconds(1))
                .setHandler(HandlerRef.newBuilder().setFile("handler.py").setName("Handler")));
        gw.deploy("echo-java", TestGateway.EXAMPLES.resolve("hello-java"), FunctionSpec.newBuilder().setRuntime("java")
                .setTimeout(Durations.fromSeconds(1)).setHandler(HandlerRef.newBuilder().setName("Handler")));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-py", "echo-java"})
    void idleStream_endsDeadlineExceeded_andGivesItsSlotBack(String function) throws Exception {
        Stream first = Stream.open(function);
        first.send("hello");
        await().atMost(Duration.ofSeconds(30)).until(() -> first.replies.size() == 1);

        Status status = first.awaitEnd();

        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).isEqualTo("stream to function " + function
                + " idle for 2 s (no message either way; see dcf.gateway.stream-idle-timeout)");
        // The stream held the streams' whole share (1 of 2 slots): a new one is admitted once it is gone.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Stream next = Stream.open(function);
            next.send("again");
            next.stream.onCompleted();
            assertThat(next.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
            assertThat(next.replies).containsExactly("again");
        });
    }

    @Test
    void streamWithTraffic_outlivesTheIdleTimeout() throws Exception {
        Stream stream = Stream.open("echo-py");
        long started = System.nanoTime();
        int sent = 0;
        while (System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
            stream.send("tick " + sent);
            int expected = ++sent;
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.replies.size() == expected);
            await().pollDelay(Duration.ofMillis(500)).until(() -> true); // a quiet gap, well under the timeout
        }
        stream.stream.onCompleted();

        assertThat(stream.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
        assertThat(stream.replies).hasSize(sent).last().isEqualTo("tick " + (sent - 1));
    }

    @Test
    void chattyHandler_rotatesItsLog_andTailStillReadsAcrossTheRotation() throws IOException {
        HttpResponse<byte[]> response = gw.post("/function/echo-py", bytes("print 1000").toByteArray(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        Path logs = tmp.resolve("home/functions/echo-py/logs");
        String last = "line 00999 " + LOG_LINE;
        await().atMost(Duration.ofSeconds(30)).until(() -> tail("echo-py", 1).equals(List.of(last)));

        List<String> tail = tail("echo-py", 300);
        assertThat(tail).hasSize(300).endsWith(last)
                .contains("line 00700 " + LOG_LINE); // 300 lines of 100 bytes: more than one 16 KB file
        try (var files = Files.list(logs)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(p -> p.getFileName().toString())
                    .contains("replica-0.log", "replica-0.log.1", "replica-0.log.2")
                    .doesNotContain("replica-0.log.3");
            for (Path p : all) {
                assertThat(Files.size(p)).as(p.toString()).isLessThan(2 * 16 * 1024);
            }
        }
    }

    private static List<String> tail(String function, int lines) {
        Iterator<LogLine> it = gw.grpc().logs(LogsRequest.newBuilder().setName(function).setTail(lines).build());
        List<String> out = new ArrayList<>();
        it.forEachRemaining(line -> out.add(line.getLine()));
        return out;
    }

    /** One dcf.v1 Invokes stream: what it received, and how it ended. */
    private record Stream(StreamObserver<InvokeRequest> stream, List<String> replies, CompletableFuture<Void> done) {

        static Stream open(String function) {
            List<String> replies = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<InvokeRequest> stream = GatewayGrpc.newStub(gw.channel).withDeadlineAfter(2, TimeUnit.MINUTES)
                    .invokes(GatewayIT.observer(reply -> replies.add(reply.getOutput().toStringUtf8()), done));
            return new Stream(new Named(stream, function), replies, done);
        }

        void send(String text) {
            stream.onNext(InvokeRequest.newBuilder().setInput(bytes(text)).build());
        }

        Status awaitEnd() throws Exception {
            try {
                done.get(60, TimeUnit.SECONDS);
                return Status.OK;
            } catch (java.util.concurrent.ExecutionException e) {
                return Status.fromThrowable(e.getCause());
            }
        }
    }

    /** Names the function in the first request, as the protocol asks. */
    private static final class Named implements StreamObserver<InvokeRequest> {
        private final StreamObserver<InvokeRequest> delegate;
        private final String function;
        private boolean first = true;

        Named(StreamObserver<InvokeRequest> delegate, String function) {
            this.delegate = delegate;
            this.function = function;
        }

        @Override
        public synchronized void onNext(InvokeRequest value) {
            delegate.onNext(first ? value.toBuilder().setFunction(function).build() : value);
            first = false;
        }

        @Override
        public void onError(Throwable t) {
            delegate.onError(t);
        }

        @Override
        public void onCompleted() {
            delegate.onCompleted();
        }
    }
}
