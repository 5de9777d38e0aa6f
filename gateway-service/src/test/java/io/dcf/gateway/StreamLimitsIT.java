package io.dcf.gateway;

import static io.dcf.gateway.TestGateway.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A replica's slots under streams (defects 6 and 7 of issue 6), with two slots per replica,
 * of which streams may hold one: streams refused at the limit end RESOURCE_EXHAUSTED with
 * the watcher's message, also for grpcio (C core) clients that keep their side open, for
 * both watchers and both stream rpcs; a burst of refusals writes a bounded number of log
 * lines, none with a stack trace; and unary calls still succeed while streams hold their share.
 */
class StreamLimitsIT {

    private static final int STREAMS = 40;

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.local.max-concurrency=2");
        Path py = Files.createDirectories(tmp.resolve("echo-py"));
        Files.writeString(py.resolve("handler.py"), "def Handler(req):\n    yield req.input\n");
        gw.deploy("echo-py", py, FunctionSpec.newBuilder().setRuntime("python")
                .setHandler(HandlerRef.newBuilder().setFile("handler.py").setName("Handler")));
        Path java = Files.createDirectories(tmp.resolve("echo-java"));
        Files.writeString(java.resolve("Handler.java"), """
                import io.dcf.sdk.Request;
                import io.dcf.sdk.Response;
                import java.util.Iterator;
                import java.util.function.Consumer;

                public final class Handler implements io.dcf.sdk.StreamHandler {
                    @Override
                    public void handle(Iterator<Request> requests, Consumer<Response> replies) {
                        while (requests.hasNext()) {
                            replies.accept(Response.text(requests.next().text()));
                        }
                    }
                }
                """);
        gw.deployJava("echo-java", java);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-py", "echo-java"})
    void refusedStreams_endResourceExhaustedForGrpcioClients(String function) throws Exception {
        try (Holder holder = Holder.open(function)) {
            Map<String, String> outcomes = grpcioBurst(function);
            String expected = STREAMS + "\tRESOURCE_EXHAUSTED function " + function
                              + " is at its stream limit (1 of its 2 slots; the others are kept for unary calls)";
            assertThat(outcomes).containsOnly(
                    Map.entry("/dcf.v1.Gateway/Invokes", expected), Map.entry("/pb.Gateway/Invokes", expected));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-py", "echo-java"})
    void burstOfRefusals_logsABoundedNumberOfLinesWithoutStackTraces(String function) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Path replicaLog = tmp.resolve("home/functions/" + function + "/logs/replica-0.log");
        try (Holder holder = Holder.open(function)) {
            long replicaLogBefore = Files.size(replicaLog);
            root.addAppender(appender);
            List<Status> statuses = javaBurst(function, 200);
            root.detachAppender(appender);
            assertThat(statuses).extracting(Status::getCode).containsOnly(Status.Code.RESOURCE_EXHAUSTED);
            List<ILoggingEvent> events = List.copyOf(appender.list);
            assertThat(events).as("gateway log lines for 200 refusals").hasSizeLessThanOrEqualTo(5)
                    .allSatisfy(e -> assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull());
            String replicaGrowth = Files.readString(replicaLog, StandardCharsets.UTF_8)
                    .substring((int) replicaLogBefore);
            assertThat(replicaGrowth.lines().count()).as(replicaGrowth).isLessThanOrEqualTo(5);
        } finally {
            root.detachAppender(appender);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-py", "echo-java"})
    void unaryCalls_succeedWhileAnIdleStreamHoldsTheStreamsShare(String function) throws Exception {
        try (Holder holder = Holder.open(function)) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<byte[]> response = gw.post("/function/" + function, bytes("unary " + i).toByteArray(), null);
                assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("unary " + i);
            }
            assertThat(holder.done()).as("the stream is still open").isNotDone();
        }
    }

    /** Runs stream_burst.py: STREAMS streams per rpc, each keeping its request side open. */
    private static Map<String, String> grpcioBurst(String function) throws Exception {
        Path script = Path.of(StreamLimitsIT.class.getResource("/clients/stream_burst.py").toURI());
        String python = System.getenv().getOrDefault("DCF_PYTHON", "/usr/bin/python3");
        Process p = new ProcessBuilder(python, script.toString(), "127.0.0.1:" + gw.port, function,
                Integer.toString(STREAMS)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> outcomes = new TreeMap<>();
        out.lines().map(line -> line.split("\t", 2)).filter(parts -> parts.length == 2)
                .forEach(parts -> outcomes.merge(parts[0], parts[1], (a, b) -> a + " | " + b));
        return outcomes;
    }

    /** Opens {@code count} dcf.v1 streams that send one request and stay open; returns how each ended. */
    private static List<Status> javaBurst(String function, int count) throws Exception {
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        List<StreamObserver<InvokeRequest>> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<InvokeRequest> stream = GatewayGrpc.newStub(gw.channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS)
                    .invokes(GatewayIT.<InvokeReply>observer(reply -> { }, done));
            stream.onNext(InvokeRequest.newBuilder().setFunction(function).setInput(bytes("burst")).build());
            streams.add(stream);
            ends.add(done);
        }
        List<Status> statuses = new ArrayList<>();
        for (CompletableFuture<Void> end : ends) {
            try {
                end.get(90, TimeUnit.SECONDS);
                statuses.add(Status.OK);
            } catch (java.util.concurrent.ExecutionException e) {
                statuses.add(Status.fromThrowable(e.getCause()));
            }
        }
        return statuses;
    }

    /** A stream that holds the streams' share of the replica's slots until closed. */
    private record Holder(StreamObserver<InvokeRequest> stream, CompletableFuture<Void> done) implements AutoCloseable {

        /** Opens the stream once the slot is free (a previous holder's release may still be on its way). */
        static Holder open(String function) {
            return await().atMost(Duration.ofSeconds(60)).until(() -> tryOpen(function), h -> h != null);
        }

        private static Holder tryOpen(String function) throws Exception {
            CompletableFuture<Void> first = new CompletableFuture<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<InvokeRequest> stream = GatewayGrpc.newStub(gw.channel)
                    .invokes(GatewayIT.<InvokeReply>observer(reply -> first.complete(null), done));
            stream.onNext(InvokeRequest.newBuilder().setFunction(function).setInput(bytes("hold")).build());
            try {
                CompletableFuture.anyOf(first, done).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return null;
            }
            return first.isDone() ? new Holder(stream, done) : null;
        }

        @Override
        public void close() throws Exception {
            stream.onCompleted();
            done.get(60, TimeUnit.SECONDS);
        }
    }
}
