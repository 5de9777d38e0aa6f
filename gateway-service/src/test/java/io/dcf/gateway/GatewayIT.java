package io.dcf.gateway;

import static io.dcf.gateway.TestGateway.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.compat.Messages;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ScaleRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core data path end to end: a real gateway, real watcher processes, real sockets. */
class GatewayIT {

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void startGateway() {
        gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.max-body=1MB");
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
    void http_binaryBody_echoedByteForByteWithContentType() {
        byte[] body = new byte[64 * 1024];
        new Random(42).nextBytes(body);
        body[0] = (byte) 0xff;
        body[1] = (byte) 0xfe;
        HttpResponse<byte[]> response = gw.post("/function/hello-java", body, "image/jpeg");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("content-type")).hasValue("image/jpeg");
    }

    @Test
    void http_text_echoed() {
        HttpResponse<byte[]> response = gw.post("/function/hello-java/some/path",
                "Hello, DCF!".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("Hello, DCF!");
    }

    @Test
    void grpc_invoke_echoes() {
        InvokeReply reply = gw.grpc().invoke(InvokeRequest.newBuilder().setFunction("hello-java")
                .setInput(bytes("Hello, gRPC!")).setContentType("text/plain").build());
        assertThat(reply.getOutput().toStringUtf8()).isEqualTo("Hello, gRPC!");
        assertThat(reply.getContentType()).isEqualTo("text/plain");
    }

    @Test
    void grpc_invokes_hundredMessagesInOrder() throws Exception {
        List<InvokeRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            requests.add(InvokeRequest.newBuilder().setFunction(i == 0 ? "hello-java" : "")
                    .setInput(bytes("message-" + i)).build());
        }
        List<String> received = gw.invokes(requests);
        assertThat(received).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(received.get(i)).isEqualTo("message-" + i);
        }
    }

    @Test
    void grpc_invokes_streamHandlerEmitsSeveralRepliesPerRequest() throws Exception {
        Path dir = tmp.resolve("doubler");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("Handler.java"), """
                import io.dcf.sdk.Request;
                import io.dcf.sdk.Response;
                import java.util.Iterator;
                import java.util.function.Consumer;

                public final class Handler implements io.dcf.sdk.StreamHandler {
                    @Override
                    public void handle(Iterator<Request> requests, Consumer<Response> replies) {
                        while (requests.hasNext()) {
                            String text = requests.next().text();
                            replies.accept(Response.text("a:" + text));
                            replies.accept(Response.text("b:" + text));
                        }
                    }
                }
                """);
        gw.deployJava("doubler", dir);
        List<InvokeRequest> requests = new java.util.ArrayList<>();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(InvokeRequest.newBuilder().setFunction("doubler").setInput(bytes("f" + i)).build());
            expected.add("a:f" + i);
            expected.add("b:f" + i);
        }
        assertThat(gw.invokes(requests)).containsExactlyElementsOf(expected);
    }

    @Test
    void grpc_invokes_aSlowFunctionSlowsItsCaller() throws Exception {
        Path dir = tmp.resolve("slow-stream");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve("Handler.java"), """
                import io.dcf.sdk.Request;
                import io.dcf.sdk.Response;
                import java.util.Iterator;
                import java.util.function.Consumer;

                public final class Handler implements io.dcf.sdk.StreamHandler {
                    @Override
                    public void handle(Iterator<Request> requests, Consumer<Response> replies) throws Exception {
                        while (requests.hasNext()) {
                            requests.next();
                            Thread.sleep(200); // a slow model
                            replies.accept(Response.text("done"));
                        }
                    }
                }
                """);
        gw.deployJava("slow-stream", dir);
        ByteString frame = ByteString.copyFrom(new byte[256 * 1024]);
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger replies = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<io.grpc.stub.ClientCallStreamObserver<InvokeRequest>> call =
                new java.util.concurrent.atomic.AtomicReference<>();
        GatewayGrpc.newStub(gw.channel).withDeadlineAfter(120, TimeUnit.SECONDS).invokes(
                new io.grpc.stub.ClientResponseObserver<InvokeRequest, InvokeReply>() {
                    @Override
                    public void beforeStart(io.grpc.stub.ClientCallStreamObserver<InvokeRequest> requests) {
                        call.set(requests);
                        requests.setOnReadyHandler(() -> {
                            // Send as fast as the stream accepts: only flow control holds the caller back.
                            while (requests.isReady() && sent.get() < 400) {
                                requests.onNext(InvokeRequest.newBuilder().setFunction("slow-stream")
                                        .setInput(frame).build());
                                sent.incrementAndGet();
                            }
                        });
                    }

                    @Override
                    public void onNext(InvokeReply value) {
                        replies.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        await().atMost(Duration.ofSeconds(60)).until(() -> replies.get() >= 5);
        int sentAfterFiveReplies = sent.get();
        call.get().cancel("test done", null);
        // Without end-to-end flow control the gateway would have buffered all 400 frames
        // (100 MiB) while the function handled 5; with it, only what the HTTP/2 windows and
        // the replica's small read-ahead hold can be outstanding.
        assertThat(sentAfterFiveReplies).isLessThan(150);
    }

    @Test
    void compat_fxGatewayInvoke_returnsMsg() {
        var reply = FxGatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS)
                .invoke(InvokeServiceRequest.newBuilder().setService("hello-java").setInput(bytes("Have a nice day")).build());
        assertThat(reply.getMsg()).isEqualTo("Have a nice day");
    }

    @Test
    void compat_seedPythonClientsWorkUnchanged() throws Exception {
        Path client = Path.of(GatewayIT.class.getResource("/seed-client/seed_client.py").toURI());
        String python = System.getenv().getOrDefault("DCF_PYTHON", "/usr/bin/python3");
        ProcessBuilder builder = new ProcessBuilder(python, client.toString(), "127.0.0.1:" + gw.port, "hello-java")
                .directory(client.getParent().toFile()).redirectErrorStream(true);
        builder.environment().put("DCF_TOKEN", gw.token);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines()).contains("invoke:battery 40%", "invokes:in order", "health:OK",
                        "list without token:UNAUTHENTICATED")
                .anyMatch(line -> line.startsWith("list:") && line.contains("hello-java"));
    }

    @Test
    void compat_fxGatewayInvoke_nonUtf8Output_failsWithPointer() {
        assertThatThrownBy(() -> FxGatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS)
                .invoke(InvokeServiceRequest.newBuilder().setService("hello-java")
                        .setInput(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("not valid UTF-8").contains("Invokes");
                });
    }

    @Test
    void compat_managementBehavesAsTheSeedClientsExpect() {
        var fx = FxGatewayGrpc.newBlockingStub(gw.channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        assertThat(fx.healthCheck(io.dcf.proto.compat.Empty.getDefaultInstance()).getMsg()).isEqualTo("OK");

        var listed = fx.list(io.dcf.proto.compat.Empty.getDefaultInstance()).getFunctionsList().stream()
                .filter(f -> f.getName().equals("hello-java")).findFirst().orElseThrow();
        assertThat(listed.getAvailableReplicas()).isEqualTo(1);
        assertThat(listed.getReplicas()).isEqualTo(1);
        var meta = fx.getMeta(io.dcf.proto.compat.FunctionRequest.newBuilder().setFunctionName("hello-java").build());
        assertThat(meta.getName()).isEqualTo("hello-java");

        assertThatThrownBy(() -> fx.update(io.dcf.proto.compat.CreateFunctionRequest.newBuilder()
                .setService("no-such-fn").setImage("registry/no-such-fn").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> fx.deploy(io.dcf.proto.compat.CreateFunctionRequest.newBuilder()
                .setService("hello-java").setImage("registry/hello-java").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
        assertThatThrownBy(() -> fx.deploy(io.dcf.proto.compat.CreateFunctionRequest.newBuilder()
                .setService("from-image").setImage("registry/from-image:1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).startsWith("the local backend cannot deploy function"
                            + " from-image from image 'registry/from-image:1' alone");
                });
        var dcf = io.dcf.proto.compat.GatewayGrpc.newBlockingStub(gw.channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        assertThat(dcf.invoke(InvokeServiceRequest.newBuilder().setService("hello-java").setInput(bytes("dcf")).build())
                .getMsg()).isEqualTo("dcf");
        assertThat(dcf.getLog(io.dcf.proto.compat.FunctionRequest.newBuilder().setFunctionName("hello-java").build())
                .getMsg()).contains("hello-java");
    }

    @Test
    void compat_gatewayInvokes_framesInOrder() throws Exception {
        List<ByteString> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<InvokeServiceRequest> requests = io.dcf.proto.compat.GatewayGrpc.newStub(gw.anonymous)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .invokes(observer((Messages m) -> received.add(m.getOutput()), done));
        Random random = new Random(7);
        List<ByteString> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] frame = new byte[10_000 + i];
            random.nextBytes(frame);
            sent.add(ByteString.copyFrom(frame));
            requests.onNext(InvokeServiceRequest.newBuilder().setService("hello-java").setInput(sent.get(i)).build());
        }
        requests.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void jarArtifact_isDeployedAsIs() throws Exception {
        Path src = TestGateway.javaFunction(tmp, "jar-src", """
                    public Response handle(Request request) { return Response.text("from a jar: " + request.text()); }
                """);
        Path jar = TestGateway.compileToJar(src, tmp.resolve("function.jar"));
        gw.grpc().deploy(io.dcf.proto.v1.DeployRequest.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName("jarred").setRuntime("java"))
                .setArtifact(io.dcf.proto.v1.Artifact.newBuilder()
                        .setJar(ByteString.copyFrom(java.nio.file.Files.readAllBytes(jar))))
                .build());
        HttpResponse<byte[]> response = gw.post("/function/jarred", "x".getBytes(StandardCharsets.UTF_8), null);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("from a jar: x");

        gw.deploy("jarred-path", jar, FunctionSpec.newBuilder().setRuntime("java"));
        response = gw.post("/function/jarred-path", "y".getBytes(StandardCharsets.UTF_8), null);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("from a jar: y");
    }

    @Test
    void logs_tailThenFollowNewLines() throws Exception {
        Path src = TestGateway.javaFunction(tmp, "chatty", """
                    public Response handle(Request request) {
                        System.out.println("handled " + request.text());
                        return Response.text("ok");
                    }
                """);
        gw.deployJava("chatty", src);
        HttpResponse<byte[]> first = gw.post("/function/chatty", "first".getBytes(StandardCharsets.UTF_8), null);
        assertThat(first.statusCode()).as(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> tail = new java.util.ArrayList<>();
            gw.grpc().logs(io.dcf.proto.v1.LogsRequest.newBuilder().setName("chatty").setTail(3).build())
                    .forEachRemaining(line -> tail.add(line.getLine()));
            assertThat(tail).hasSizeLessThanOrEqualTo(3).contains("handled first");
        });

        List<String> followed = new CopyOnWriteArrayList<>();
        io.grpc.Context.CancellableContext follow = io.grpc.Context.current().withCancellation();
        follow.run(() -> GatewayGrpc.newStub(gw.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .logs(io.dcf.proto.v1.LogsRequest.newBuilder().setName("chatty").setFollow(true).build(),
                        observer(line -> followed.add(line.getLine()), new CompletableFuture<>())));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> followed.contains("handled first"));
            gw.post("/function/chatty", "second".getBytes(StandardCharsets.UTF_8), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> followed.contains("handled second"));
        } finally {
            follow.cancel(null);
        }
    }

    @Test
    void unknownFunction_is404AndNotFound() {
        HttpResponse<byte[]> response = gw.post("/function/no-such-fn", new byte[] {1}, null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("\"code\":\"NOT_FOUND\"").contains("function no-such-fn not found");
        assertThatThrownBy(() -> gw.grpc().invoke(InvokeRequest.newBuilder().setFunction("no-such-fn").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void oversizedBody_is413AndResourceExhausted() {
        byte[] big = new byte[1024 * 1024 + 1];
        HttpResponse<byte[]> response = gw.post("/function/hello-java", big, "application/octet-stream");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("hello-java").contains("limit");
        assertThatThrownBy(() -> gw.grpc().invoke(InvokeRequest.newBuilder().setFunction("hello-java")
                .setInput(ByteString.copyFrom(big)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void noReadyReplica_is503() {
        gw.deployJava("scaled-to-zero", TestGateway.EXAMPLES.resolve("hello-java"));
        gw.grpc().scale(ScaleRequest.newBuilder().setName("scaled-to-zero").setReplicas(0).build());
        HttpResponse<byte[]> response = gw.post("/function/scaled-to-zero", new byte[] {1}, null);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("no ready replica");
    }

    @Test
    void slowHandler_is504() {
        Path src = TestGateway.javaFunction(tmp, "slow", """
                    public Response handle(Request request) throws Exception {
                        Thread.sleep(30_000);
                        return Response.text("late");
                    }
                """);
        gw.deploy("slow", src, FunctionSpec.newBuilder().setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("Handler")).setTimeout(Durations.fromMillis(500)));
        HttpResponse<byte[]> response = gw.post("/function/slow", new byte[0], null);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("DEADLINE_EXCEEDED");
    }

    @Test
    void handlerException_is500WithMessageAndNoStackTrace() {
        Path src = TestGateway.javaFunction(tmp, "thrower", """
                    public Response handle(Request request) {
                        throw new IllegalStateException("boom: cannot read " + request.text());
                    }
                """);
        gw.deployJava("thrower", src);
        HttpResponse<byte[]> response = gw.post("/function/thrower", "sensor.csv".getBytes(StandardCharsets.UTF_8), null);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(body).contains("\"code\":\"INTERNAL\"").contains("boom: cannot read sensor.csv")
                        .doesNotContain("at Handler.handle").doesNotContain("Exception:");
    }

    @Test
    void handlerThatKillsItsProcess_failsThatCallOnlyAndTheReplicaComesBack() {
        Path src = TestGateway.javaFunction(tmp, "suicidal", """
                    public Response handle(Request request) {
                        if (request.text().equals("crash")) {
                            Runtime.getRuntime().halt(7);
                        }
                        return Response.text("fine");
                    }
                """);
        gw.deployJava("suicidal", src);
        HttpResponse<byte[]> crashed = gw.post("/function/suicidal", "crash".getBytes(StandardCharsets.UTF_8), null);
        assertThat(crashed.statusCode()).isEqualTo(503);
        assertThat(new String(crashed.body(), StandardCharsets.UTF_8)).contains("\"code\":\"UNAVAILABLE\"")
                .doesNotContain("Exception");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<byte[]> again = gw.post("/function/suicidal", "ok".getBytes(StandardCharsets.UTF_8), null);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("fine");
        });
        FunctionStatus s = status("suicidal");
        assertThat(s.getReplicaStatuses(0).getRestarts()).isEqualTo(1);
    }

    @Test
    void killedReplica_isRestartedAndServesAgain() {
        gw.deployJava("crashy", TestGateway.EXAMPLES.resolve("hello-java"));
        long pid = status("crashy").getReplicaStatuses(0).getPid();
        assertThat(pid).isPositive();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            FunctionStatus s = status("crashy");
            assertThat(s.getReadyReplicas()).isEqualTo(1);
            assertThat(s.getReplicaStatuses(0).getPid()).isNotEqualTo(pid);
            assertThat(s.getReplicaStatuses(0).getRestarts()).isEqualTo(1);
        });
        HttpResponse<byte[]> response = gw.post("/function/crashy", "again".getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("again");
    }

    @Test
    void rest_managementIsTranscodedWithJsonErrors() {
        HttpResponse<byte[]> health = gw.send("GET", "/system/health", null, null);
        assertThat(text(health)).isEqualTo("{\"status\":\"OK\"}");

        gw.deployJava("rest-fn", TestGateway.EXAMPLES.resolve("hello-java"));
        HttpResponse<byte[]> scaled = gw.send("POST", "/system/functions/rest-fn/scale",
                "{\"replicas\": 2}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(scaled.statusCode()).isEqualTo(200);
        assertThat(text(scaled)).contains("\"replicas\":2");
        assertThat(text(gw.send("GET", "/system/functions", null, null))).contains("\"name\":\"rest-fn\"");

        HttpResponse<byte[]> missing = gw.send("GET", "/system/functions/no-such-fn", null, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).isEqualTo("{\"code\":\"NOT_FOUND\",\"message\":\"function no-such-fn not found\"}");

        HttpResponse<byte[]> notJson = gw.send("POST", "/system/functions/rest-fn/scale",
                "replicas=2".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(text(notJson)).contains("\"code\":\"INVALID_ARGUMENT\"").contains("application/json");

        HttpResponse<byte[]> deleted = gw.send("DELETE", "/system/functions/rest-fn", null, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(gw.post("/function/rest-fn", new byte[0], null).statusCode()).isEqualTo(404);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void replicas_runInASessionOfTheirOwn() throws Exception {
        long pid = status("hello-java").getReplicaStatuses(0).getPid();
        // A terminal's Ctrl-C goes to the gateway's session; the gateway, not the signal, stops replicas.
        assertThat(session(pid)).isNotEqualTo(session(ProcessHandle.current().pid()));
    }

    /** The session id of a process, field 6 of /proc/<pid>/stat (Linux). */
    private static long session(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }

    @Test
    void reflection_listsTheGatewayServices() throws Exception {
        List<String> services = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(gw.channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .serverReflectionInfo(observer((ServerReflectionResponse value) -> value.getListServicesResponse()
                        .getServiceList().forEach(s -> services.add(s.getName())), done));
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        assertThat(services).contains("dcf.v1.Gateway", "pb.FxGateway", "pb.Gateway");
    }

    private static FunctionStatus status(String name) {
        return gw.grpc().get(GetRequest.newBuilder().setName(name).build());
    }

    /** An observer that hands each message to {@code each} and completes {@code done} with the stream. */
    static <T> StreamObserver<T> observer(Consumer<T> each, CompletableFuture<Void> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                each.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
    }
}
