package io.dcf.runtimes;

import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import java.nio.charset.StandardCharsets;
import io.grpc.stub.MetadataUtils;
import io.grpc.Metadata;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.StatsReply;
import io.dcf.proto.v1.StatsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real Python watcher (python/watcher/dcf_watcher.py) and calls it with grpc-java. */
class PythonWatcherIT {

    private static final String ECHO = """
            def Handler(req):
                return req.input
            """;

    /** Blocks until the file "release" exists in the function directory; marks "started" first. */
    private static final String BLOCKING = """
            import os, time

            def Handler(req):
                home = os.environ["DCF_FUNCTION_DIR"]
                open(os.path.join(home, "started"), "w").close()
                while not os.path.exists(os.path.join(home, "release")):
                    time.sleep(0.02)
                return b"done"
            """;

    @TempDir
    Path dir;

    private final List<WatcherProcess> watchers = new ArrayList<>();

    @AfterEach
    void stopWatchers() throws InterruptedException {
        for (WatcherProcess watcher : watchers) {
            watcher.close();
        }
    }

    private WatcherProcess start(String handler, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve(env.getOrDefault("DCF_HANDLER_FILE", "handler.py")), handler);
        WatcherProcess watcher = WatcherProcess.start(dir, env);
        watchers.add(watcher);
        return watcher;
    }

    private static CallRequest request(String input) {
        return CallRequest.newBuilder().setInput(ByteString.copyFromUtf8(input)).build();
    }

    @Test
    void call_functionHandler_echoesInput() throws Exception {
        WatcherProcess watcher = start(ECHO, Map.of()).awaitServing();

        CallReply reply = watcher.watcher().call(request("Hello, DCF!"));

        assertThat(reply.getOutput().toStringUtf8()).isEqualTo("Hello, DCF!");
        assertThat(reply.getContentType()).isEmpty();
    }

    @Test
    void replicaSecret_fromStandardInput_isRequiredForCallsAndStreams_butNotForHealth() throws Exception {
        WatcherProcess watcher = start(ECHO, Map.of("DCF_REPLICA_SECRET_STDIN", "true"));
        watcher.process().getOutputStream().write("py-s3cret\n".getBytes(StandardCharsets.US_ASCII));
        watcher.process().getOutputStream().flush();
        watcher.awaitServing();

        StatusRuntimeException call = catchThrowableOfType(() -> watcher.watcher().call(request("around")),
                StatusRuntimeException.class);
        ReplyCollector<CallReply> stream = new ReplyCollector<>();
        watcher.watcherAsync().calls(stream).onNext(request("around"));
        Metadata right = new Metadata();
        right.put(Metadata.Key.of("dcf-replica-secret", Metadata.ASCII_STRING_MARSHALLER), "py-s3cret");
        String answer = watcher.watcher().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(right))
                .call(request("through the gateway")).getOutput().toStringUtf8();

        assertThat(call.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(call.getStatus().getDescription()).contains("function test-fn", "dcf-replica-secret");
        assertThat(Status.fromThrowable(catchThrowable(stream::get)).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(answer).isEqualTo("through the gateway");
        assertThat(watcher.stderr()).doesNotContain("py-s3cret");
    }

    @Test
    void replicaSecret_standardInputEndsFirst_exitsWithStatus2() throws Exception {
        WatcherProcess watcher = start(ECHO, Map.of("DCF_REPLICA_SECRET_STDIN", "true"));
        watcher.process().getOutputStream().close();

        assertThat(watcher.awaitExit()).isEqualTo(2);
        assertThat(watcher.stderr()).contains("DCF_REPLICA_SECRET_STDIN: standard input ended before");
    }

    @Test
    void call_requestFields_reachTheHandler() throws Exception {
        WatcherProcess watcher = start("""
                def Handler(req):
                    return "|".join([req.method, req.path, req.content_type, req.headers["x-trace"], req.function])
                """, Map.of()).awaitServing();

        CallReply reply = watcher.watcher().call(CallRequest.newBuilder()
                .setInput(ByteString.copyFromUtf8("x")).setContentType("text/plain").setPath("/a/b")
                .setMethod("POST").putHeaders("x-trace", "t-1").setFunction("hello-dcf").build());

        assertThat(reply.getOutput().toStringUtf8()).isEqualTo("POST|/a/b|text/plain|t-1|hello-dcf");
    }

    @Test
    void classHandler_initRunsOnceAcrossCallsAndConcurrentStreams() throws Exception {
        WatcherProcess watcher = start("""
                import os

                class Handler:
                    def __init__(self):
                        with open(os.path.join(os.environ["DCF_FUNCTION_DIR"], "init.log"), "a") as f:
                            f.write("init\\n")
                        self.instance = str(id(self))

                    def __call__(self, req):
                        if req.input == b"instance":
                            return self.instance
                        return req.input
                """, Map.of()).awaitServing();

        List<String> instances = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            instances.add(watcher.watcher().call(request("instance")).getOutput().toStringUtf8());
        }
        List<ReplyCollector<CallReply>> collectors = new ArrayList<>();
        List<StreamObserver<CallRequest>> streams = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            ReplyCollector<CallReply> collector = new ReplyCollector<>();
            collectors.add(collector);
            streams.add(watcher.watcherAsync().calls(collector));
        }
        for (int i = 0; i < 10; i++) {
            for (int s = 0; s < 3; s++) {
                streams.get(s).onNext(request("stream" + s + "-" + i));
            }
        }
        streams.forEach(StreamObserver::onCompleted);

        for (int s = 0; s < 3; s++) {
            int stream = s;
            assertThat(collectors.get(s).get()).extracting(r -> r.getOutput().toStringUtf8())
                    .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "stream" + stream + "-" + i).toList());
        }
        assertThat(instances).hasSize(50).containsOnly(instances.get(0));
        assertThat(Files.readString(dir.resolve("init.log"))).isEqualTo("init\n");
    }

    @Test
    void call_jsonSensorReading_isParsedAndAnsweredAsJson() throws Exception {
        WatcherProcess watcher = start("""
                import json

                def Handler(req):
                    reading = json.loads(req.input)
                    return {"sensor": reading["name"], "low": reading["capacity"] < 50, "at": reading["time"]}
                """, Map.of()).awaitServing();

        CallReply reply = watcher.watcher().call(CallRequest.newBuilder()
                .setInput(ByteString.copyFromUtf8(
                        "{\"name\": \"battery sensor\", \"capacity\": 40, \"time\": \"2019-01-21T19:07:28Z\"}"))
                .setContentType("application/json").build());

        assertThat(reply.getContentType()).isEqualTo("application/json");
        assertThat(reply.getOutput().toStringUtf8())
                .isEqualTo("{\"sensor\": \"battery sensor\", \"low\": true, \"at\": \"2019-01-21T19:07:28Z\"}");
    }

    @Test
    void call_oneMebibyteOfRandomBytes_roundTripsByteForByte() throws Exception {
        WatcherProcess watcher = start(ECHO, Map.of()).awaitServing();
        byte[] input = new byte[1024 * 1024];
        new SplittableRandom(42).nextBytes(input);

        CallReply reply = watcher.watcher().call(CallRequest.newBuilder().setInput(ByteString.copyFrom(input)).build());

        assertThat(reply.getOutput().toByteArray()).isEqualTo(input);
    }

    @Test
    void generatorHandler_streamsSeveralRepliesPerRequestOnCalls_andTheFirstOnCall() throws Exception {
        WatcherProcess watcher = start("""
                def Handler(req):
                    n = int(req.input)
                    for i in range(n):
                        yield "%d/%d" % (i + 1, n)
                """, Map.of()).awaitServing();

        ReplyCollector<CallReply> collector = new ReplyCollector<>();
        StreamObserver<CallRequest> stream = watcher.watcherAsync().calls(collector);
        stream.onNext(request("3"));
        stream.onNext(request("2"));
        stream.onCompleted();

        assertThat(collector.get()).extracting(r -> r.getOutput().toStringUtf8())
                .containsExactly("1/3", "2/3", "3/3", "1/2", "2/2");
        assertThat(watcher.watcher().call(request("3")).getOutput().toStringUtf8()).isEqualTo("1/3");
    }

    @Test
    void handlerFailingOnEveryCall_logsOneLinePerTenSeconds_notOnePerCall() throws Exception {
        WatcherProcess watcher = start("""
                def Handler(req):
                    raise ValueError("model file is corrupt")
                """, Map.of()).awaitServing();
        long started = System.nanoTime();

        for (int i = 0; i < 200; i++) {
            assertThatThrownBy(() -> watcher.watcher().call(request("x"))).isInstanceOf(StatusRuntimeException.class);
        }

        long windows = 1 + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) / 10;
        long lines = watcher.stderr().lines().filter(l -> l.contains("handler failed")).count();
        assertThat(lines).as(watcher.stderr()).isBetween(1L, windows + 1);
    }

    @Test
    void handlerException_returnsInternalWithTheMessage_andNoTraceback() throws Exception {
        WatcherProcess watcher = start("""
                import dcf

                def Handler(req):
                    if req.input == b"bare":
                        raise RuntimeError()
                    if req.input == b"invalid":
                        raise dcf.FunctionError("INVALID_ARGUMENT", "capacity must be a number")
                    raise ValueError("battery sensor is offline")
                """, Map.of()).awaitServing();

        assertThatThrownBy(() -> watcher.watcher().call(request("x")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).isEqualTo("battery sensor is offline");
                });
        assertThatThrownBy(() -> watcher.watcher().call(request("bare")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).isEqualTo("RuntimeError");
                });
        assertThatThrownBy(() -> watcher.watcher().call(request("invalid")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("capacity must be a number");
                });
        assertThat(watcher.stderr()).contains("Traceback").contains("battery sensor is offline");
    }

    @Test
    void slowHandler_returnsDeadlineExceededWithTheContractMessage() throws Exception {
        WatcherProcess watcher = start("""
                import threading

                def Handler(req):
                    threading.Event().wait(60)
                    return req.input
                """, Map.of("DCF_TIMEOUT_MS", "300")).awaitServing();

        assertThatThrownBy(() -> watcher.watcher().call(request("x")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("function test-fn timed out after 300 ms");
                });
    }

    @Test
    void callBeyondTheConcurrencyLimit_returnsResourceExhausted() throws Exception {
        WatcherProcess watcher = start(BLOCKING, Map.of("DCF_MAX_CONCURRENCY", "1")).awaitServing();
        ListenableFuture<CallReply> first = watcher.watcherFuture().call(request("first"));
        await().atMost(WatcherProcess.STARTUP).until(() -> Files.exists(dir.resolve("started")));

        assertThatThrownBy(() -> watcher.watcher().call(request("second")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("function test-fn is at its concurrency limit (1)");
                });
        Files.createFile(dir.resolve("release"));
        assertThat(first.get(20, TimeUnit.SECONDS).getOutput().toStringUtf8()).isEqualTo("done");
    }

    @Test
    void stats_countCallsStreamsErrorsAndInflight() throws Exception {
        WatcherProcess watcher = start("""
                import os, time

                def Handler(req):
                    if req.input == b"fail":
                        raise ValueError("no")
                    if req.input == b"block":
                        home = os.environ["DCF_FUNCTION_DIR"]
                        while not os.path.exists(os.path.join(home, "release")):
                            time.sleep(0.02)
                    return req.input
                """, Map.of("DCF_MAX_CONCURRENCY", "5")).awaitServing();
        for (int i = 0; i < 3; i++) {
            watcher.watcher().call(request("ok"));
        }
        catchThrowable(() -> watcher.watcher().call(request("fail")));
        ReplyCollector<CallReply> replies = new ReplyCollector<>();
        StreamObserver<CallRequest> stream = watcher.watcherAsync().calls(replies);
        stream.onNext(request("s1"));
        stream.onNext(request("s2"));
        stream.onCompleted();
        assertThat(replies.get()).hasSize(2);

        ListenableFuture<CallReply> blocked = watcher.watcherFuture().call(request("block"));
        await().atMost(WatcherProcess.STARTUP).until(() -> watcher.watcher().stats(StatsRequest.getDefaultInstance())
                .getInflight() == 1);
        StatsReply during = watcher.watcher().stats(StatsRequest.getDefaultInstance());
        Files.createFile(dir.resolve("release"));
        blocked.get(20, TimeUnit.SECONDS);
        StatsReply after = watcher.watcher().stats(StatsRequest.getDefaultInstance());

        assertThat(during.getCalls()).isEqualTo(5); // 3 ok, 1 failed, 1 stream
        assertThat(during.getErrors()).isEqualTo(1);
        assertThat(during.getMaxConcurrency()).isEqualTo(5);
        assertThat(after.getInflight()).isZero();
        assertThat(after.getCalls()).isEqualTo(6);
        assertThat(after.getLatencyBucketBoundsList()).hasSize(after.getLatencyBucketCountsCount()).isSorted();
        assertThat(after.getLatencyBucketCountsList()).isSorted().allMatch(c -> c <= 6);
        assertThat(after.getLatencySecondsSum()).isPositive();
        // the blocked call took longer than the smallest bucket: not every call is in the first one
        assertThat(after.getLatencyBucketCounts(0)).isLessThan(6);
    }

    @Test
    void streamsHoldAtMostHalfTheSlots_unaryCallsKeepTheRest() throws Exception {
        WatcherProcess watcher = start("def Handler(req):\n    return req.input\n",
                Map.of("DCF_MAX_CONCURRENCY", "3")).awaitServing();
        List<StreamObserver<CallRequest>> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ReplyCollector<CallReply> collector = new ReplyCollector<>();
            StreamObserver<CallRequest> stream = watcher.watcherAsync().calls(collector);
            stream.onNext(request("open" + i));
            await().atMost(WatcherProcess.STARTUP).until(() -> collector.soFar().size() == 1);
            open.add(stream);
        }

        ReplyCollector<CallReply> refused = new ReplyCollector<>();
        watcher.watcherAsync().calls(refused).onNext(request("third"));
        Status status = Status.fromThrowable(catchThrowable(refused::get).getCause());
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).isEqualTo(
                "function test-fn is at its stream limit (2 of its 3 slots; the others are kept for unary calls)");
        assertThat(watcher.watcher().call(request("unary")).getOutput().toStringUtf8()).isEqualTo("unary");

        open.forEach(StreamObserver::onCompleted);
    }

    @Test
    void health_isNotServingWhileInitRuns_thenServing() throws Exception {
        WatcherProcess watcher = start("""
                import os, time

                class Handler:
                    def __init__(self):
                        while not os.path.exists(os.path.join(os.environ["DCF_FUNCTION_DIR"], "model-ready")):
                            time.sleep(0.02)

                    def __call__(self, req):
                        return req.input
                """, Map.of());
        ReplyCollector<HealthCheckResponse> watch = new ReplyCollector<>();
        // a deadline that outlasts a slow start on a loaded machine (the default 20 s once cut the watch short)
        io.grpc.health.v1.HealthGrpc.newStub(watcher.channel()).withDeadlineAfter(3, TimeUnit.MINUTES)
                .watch(HealthCheckRequest.getDefaultInstance(), watch);

        assertThat(watcher.health("")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(watcher.health("dcf.v1.Watcher")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThatThrownBy(() -> watcher.watcher().call(request("x")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo("function test-fn is still loading");
                });

        Files.createFile(dir.resolve("model-ready"));

        watcher.awaitServing();
        assertThat(watcher.health("dcf.v1.Watcher")).isEqualTo(ServingStatus.SERVING);
        assertThatThrownBy(() -> watcher.health("some.Other"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        await().atMost(WatcherProcess.STARTUP).until(() -> watch.soFar().stream()
                .map(HealthCheckResponse::getStatus).toList()
                .equals(List.of(ServingStatus.NOT_SERVING, ServingStatus.SERVING)));
        assertThat(watcher.watcher().call(request("ready")).getOutput().toStringUtf8()).isEqualTo("ready");
    }

    @Test
    void sigterm_withACallInFlight_letsItCompleteAndExitsZero() throws Exception {
        WatcherProcess watcher = start(BLOCKING, Map.of()).awaitServing();
        ListenableFuture<CallReply> inFlight = watcher.watcherFuture().call(request("x"));
        await().atMost(WatcherProcess.STARTUP).until(() -> Files.exists(dir.resolve("started")));

        watcher.process().destroy(); // SIGTERM

        await().atMost(WatcherProcess.STARTUP).until(() -> watcher.health("") == ServingStatus.NOT_SERVING);
        assertThatThrownBy(() -> watcher.watcher().call(request("late")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo("function test-fn is draining");
                });
        assertThat(inFlight.isDone()).isFalse();
        Files.createFile(dir.resolve("release"));

        assertThat(inFlight.get(20, TimeUnit.SECONDS).getOutput().toStringUtf8()).isEqualTo("done");
        assertThat(watcher.awaitExit()).isZero();
    }

    @Test
    void stdinClosed_withExitWithParent_exitsZero() throws Exception {
        WatcherProcess watcher = start(ECHO, Map.of("DCF_EXIT_WITH_PARENT", "true")).awaitServing();

        watcher.process().getOutputStream().close();

        assertThat(watcher.awaitExit()).isZero();
        assertThat(watcher.stderr()).contains("standard input closed");
    }

    @Test
    void stdinOpen_withExitWithParent_keepsServing() throws Exception {
        WatcherProcess watcher = start(ECHO, Map.of("DCF_EXIT_WITH_PARENT", "true")).awaitServing();

        assertThat(watcher.watcher().call(request("still here")).getOutput().toStringUtf8()).isEqualTo("still here");
        assertThat(watcher.process().isAlive()).isTrue();
    }

    @Test
    void handlerWithASyntaxError_exitsThreeNamingTheFile() throws Exception {
        WatcherProcess watcher = start("""
                def Handler(req)
                    return req.input
                """, Map.of("DCF_HANDLER_FILE", "broken_handler.py"));

        assertThat(watcher.awaitExit()).isEqualTo(3);
        assertThat(watcher.stderr()).contains("broken_handler.py").contains("SyntaxError").contains("Handler");
    }

    @Test
    void missingHandlerName_exitsThreeNamingFileAndHandler() throws Exception {
        WatcherProcess watcher = start(ECHO, Map.of("DCF_HANDLER", "Predict"));

        assertThat(watcher.awaitExit()).isEqualTo(3);
        assertThat(watcher.stderr()).contains("handler.py").contains("defines no Predict");
    }

    @Test
    void venvWithSystemSitePackages_runsTheWatcher() throws Exception {
        Path venv = dir.resolve("venv");
        Process create = new ProcessBuilder(PythonRuntime.python().toString(), "-m", "venv",
                "--system-site-packages", "--without-pip", venv.toString())
                .redirectErrorStream(true).start();
        create.getOutputStream().close();
        String output = new String(create.getInputStream().readAllBytes(), UTF_8);
        assertThat(create.waitFor()).as(output).isZero();
        Files.writeString(dir.resolve("handler.py"), """
                import sys

                def Handler(req):
                    return sys.prefix
                """);
        WatcherProcess watcher = WatcherProcess.start(venv.resolve("bin/python"), dir, Map.of());
        watchers.add(watcher);
        watcher.awaitServing();

        assertThat(watcher.watcher().call(request("x")).getOutput().toStringUtf8()).isEqualTo(venv.toString());
    }
}
