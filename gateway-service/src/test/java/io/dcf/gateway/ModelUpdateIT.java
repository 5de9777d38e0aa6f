package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.ModelStart;
import io.dcf.proto.v1.RollbackRequest;
import io.dcf.proto.v1.VersionsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dcf function update-model, versions and rollback on the local backend: real gateway, real
 * watcher processes, a handler that reads its model once in init, callers on HTTP all along.
 */
class ModelUpdateIT {

    /** A handler that answers with its model file's content, read once at load from DCF_MODEL_PATH. */
    private static final String MODEL_HANDLER = """
                private String model = "no model";

                @Override
                public void init(io.dcf.sdk.Context context) throws Exception {
                    String path = context.env("DCF_MODEL_PATH", "");
                    if (!path.isEmpty()) {
                        model = java.nio.file.Files.readString(java.nio.file.Path.of(path));
                    }
                }

                public Response handle(Request request) { return Response.text(model); }
            """;

    @TempDir
    Path tmp;

    @Test
    void updateModel_underSteadyLoad_failsNoCall_andRollbackRestoresThePreviousModel() throws Exception {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"))) {
            deploy(gw, "scorer", 2);
            try (Callers callers = new Callers(gw, "scorer", 4)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> callers.ok.get() > 20);

                FunctionStatus v2 = upload(gw, "scorer", "/models/weights.json", "weights A");
                callers.awaitAnswer("weights A");
                FunctionStatus v3 = upload(gw, "scorer", "/models/weights.json", "weights B");
                callers.awaitAnswer("weights B");
                FunctionStatus v4 = gw.grpc().rollback(RollbackRequest.newBuilder().setName("scorer").build());
                callers.awaitAnswer("weights A");

                assertThat(List.of(v2.getGeneration(), v3.getGeneration(), v4.getGeneration())).containsExactly(2L, 3L, 4L);
                assertThat(v4.getReadyReplicas()).isEqualTo(2);
                assertThat(callers.failures).isEmpty();
                assertThat(callers.ok.get()).isGreaterThan(20);
            }
            assertThat(call(gw, "scorer")).isEqualTo("weights A");

            List<FunctionVersion> versions = versions(gw, "scorer");
            assertThat(versions).extracting(FunctionVersion::getVersion).containsExactly(4L, 3L, 2L, 1L);
            assertThat(versions).extracting(FunctionVersion::getCause)
                    .containsExactly("rollback", "update-model", "update-model", "deploy");
            assertThat(versions).extracting(FunctionVersion::getCurrent).containsExactly(true, false, false, false);
            assertThat(versions).allMatch(FunctionVersion::getAvailable);
            assertThat(versions.get(0).getRolledBackTo()).isEqualTo(2);
            assertThat(versions.get(0).getModelDigest()).isEqualTo(versions.get(2).getModelDigest())
                    .isEqualTo("sha256:" + sha256("weights A"));
            assertThat(versions.get(1).getModelBytes()).isEqualTo("weights B".length());
            assertThat(versions.get(0).getModelPath()).isEqualTo("/models/weights.json");
            assertThat(versions.get(3).getModelPath()).isEmpty();
        }
    }

    @Test
    void rollback_toAVersionWithoutModel_andPastTheKeptGenerations() throws Exception {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.local.generations-kept=2")) {
            deploy(gw, "kept", 1);
            upload(gw, "kept", "", "m1");
            upload(gw, "kept", "", "m2");
            assertThat(call(gw, "kept")).isEqualTo("m2");

            List<FunctionVersion> versions = versions(gw, "kept");
            assertThat(versions).extracting(FunctionVersion::getAvailable).containsExactly(true, true, false);
            assertThat(versions.get(0).getModelPath()).isEqualTo("/models/model.bin");
            assertThat(Files.exists(tmp.resolve("home/functions/kept/gen-1"))).isFalse();
            assertThatThrownBy(() -> gw.grpc().rollback(RollbackRequest.newBuilder().setName("kept").setToVersion(1)
                    .build())).satisfies(e -> assertStatus(e, Status.Code.FAILED_PRECONDITION,
                            "version 1 can no longer be rolled back to"));
            assertThatThrownBy(() -> gw.grpc().rollback(RollbackRequest.newBuilder().setName("kept").setToVersion(9)
                    .build())).satisfies(e -> assertStatus(e, Status.Code.NOT_FOUND, "version 9 not found"));
            assertThatThrownBy(() -> gw.grpc().rollback(RollbackRequest.newBuilder().setName("kept").setToVersion(3)
                    .build())).satisfies(e -> assertStatus(e, Status.Code.FAILED_PRECONDITION,
                            "is the current version"));

            gw.grpc().rollback(RollbackRequest.newBuilder().setName("kept").setToVersion(2).build());
            assertThat(call(gw, "kept")).isEqualTo("m1");
        }
    }

    @Test
    void restart_keepsTheModelAndTheHistory() throws Exception {
        Path home = tmp.resolve("home");
        try (TestGateway gw = TestGateway.start(home)) {
            deploy(gw, "durable", 1);
            upload(gw, "durable", "/data/m.txt", "persisted");
        }
        try (TestGateway gw = TestGateway.start(home)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> gw.post("/function/durable", new byte[0], null)
                    .statusCode() == 200);
            assertThat(call(gw, "durable")).isEqualTo("persisted");
            assertThat(versions(gw, "durable")).extracting(FunctionVersion::getCause)
                    .containsExactly("update-model", "deploy");
        }
    }

    @Test
    void linearModelExample_predictsWithTheUploadedModel_andRollsBack() throws Exception {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"))) {
            gw.deploy("linear-model", TestGateway.EXAMPLES.resolve("linear-model"), FunctionSpec.newBuilder()
                    .setRuntime("python").setHandler(HandlerRef.newBuilder().setName("Handler").setFile("handler.py")));
            byte[] x = "{\"x\": [2, 3]}".getBytes(StandardCharsets.UTF_8);
            assertThat(body(gw.post("/function/linear-model", x, "application/json")))
                    .isEqualTo("{\"y\": 5.0, \"model\": \"v1\"}");

            ModelUploader.upload(gw.channel, ModelStart.newBuilder().setName("linear-model")
                    .setFileName("model-v2.json").build(),
                    "{\"weights\": [2, 3], \"bias\": 1, \"version\": \"v2\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(body(gw.post("/function/linear-model", x, "application/json")))
                    .isEqualTo("{\"y\": 14.0, \"model\": \"v2\"}");

            gw.grpc().rollback(RollbackRequest.newBuilder().setName("linear-model").build());
            assertThat(body(gw.post("/function/linear-model", x, "application/json"))).contains("\"v1\"");
        }
    }

    @Test
    void badUploads_getClearErrors_andChangeNothing() throws Exception {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.max-model-size=1KB")) {
            deploy(gw, "steady", 1);
            byte[] small = "fine".getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("ghost", "/models/m.bin"), small))
                    .satisfies(e -> assertStatus(e, Status.Code.NOT_FOUND, "function ghost not found"));
            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("steady", "models/m.bin"), small))
                    .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "must be absolute"));
            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("steady", "/models/../../etc/x"), small))
                    .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "must not contain '..'"));
            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("steady", "/Handler.java"), small))
                    .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "is a file of the function's own code"));
            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("steady", "/m.bin").toBuilder()
                    .setSizeBytes(4096).build(), new byte[4096]))
                    .satisfies(e -> assertStatus(e, Status.Code.RESOURCE_EXHAUSTED, "expected: at most 1024"));
            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("steady", "/m.bin"), new byte[4096]))
                    .satisfies(e -> assertStatus(e, Status.Code.RESOURCE_EXHAUSTED, "dcf.gateway.max-model-size"));
            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("steady", "/m.bin").toBuilder()
                    .setSizeBytes(100).build(), small))
                    .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "the upload was cut"));
            assertThatThrownBy(() -> ModelUploader.upload(gw.channel, start("steady", "/m.bin"), new byte[0]))
                    .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "the model file is empty"));

            assertThat(call(gw, "steady")).isEqualTo("no model");
            assertThat(versions(gw, "steady")).extracting(FunctionVersion::getVersion).containsExactly(1L);
            try (Stream<Path> spooled = Files.list(tmp.resolve("home/uploads"))) {
                assertThat(spooled).isEmpty();
            }
            try (Stream<Path> dirs = Files.list(tmp.resolve("home/functions/steady"))) {
                assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gen-")))
                        .containsExactly("gen-1");
            }
            assertThatThrownBy(() -> gw.grpc().rollback(RollbackRequest.newBuilder().setName("steady").build()))
                    .satisfies(e -> assertStatus(e, Status.Code.FAILED_PRECONDITION, "no earlier version"));
        }
    }

    private void deploy(TestGateway gw, String name, int replicas) {
        Path src = TestGateway.javaFunction(tmp.resolve("src-" + name), "fn", MODEL_HANDLER);
        gw.deploy(name, src, FunctionSpec.newBuilder().setRuntime("java").setReplicas(replicas)
                .setHandler(HandlerRef.newBuilder().setName("Handler")));
    }

    private static FunctionStatus upload(TestGateway gw, String name, String path, String content) throws Exception {
        return ModelUploader.upload(gw.channel, start(name, path), content.getBytes(StandardCharsets.UTF_8));
    }

    private static ModelStart start(String name, String path) {
        return ModelStart.newBuilder().setName(name).setPath(path).setFileName("model.bin").build();
    }

    private static List<FunctionVersion> versions(TestGateway gw, String name) {
        return gw.grpc().versions(VersionsRequest.newBuilder().setName(name).build()).getVersionsList();
    }

    private static String body(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String call(TestGateway gw, String name) {
        HttpResponse<byte[]> r = gw.post("/function/" + name, new byte[0], null);
        assertThat(r.statusCode()).as("call of %s", name).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static void assertStatus(Throwable e, Status.Code code, String message) {
        assertThat(e).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) e).getStatus();
        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).contains(message);
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Threads calling one function over HTTP without pause; every answer other than 200 is a failure. */
    private static final class Callers implements AutoCloseable {

        final AtomicInteger ok = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final Queue<String> latest = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads;

        Callers(TestGateway gw, String function, int count) {
            threads = Stream.generate(() -> new Thread(() -> {
                while (running.get()) {
                    HttpResponse<byte[]> r = gw.post("/function/" + function, new byte[0], null);
                    String body = new String(r.body(), StandardCharsets.UTF_8);
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                        latest.add(body);
                        if (latest.size() > 64) {
                            latest.poll();
                        }
                    } else {
                        failures.add(r.statusCode() + " " + body);
                    }
                }
            }, "caller")).limit(count).toList();
            threads.forEach(t -> {
                t.setDaemon(true);
                t.start();
            });
        }

        /** Waits until the last calls of every caller answer {@code expected} only. */
        void awaitAnswer(String expected) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> recent = List.copyOf(latest);
                return recent.size() >= 16 && recent.subList(recent.size() - 16, recent.size()).stream()
                        .allMatch(expected::equals);
            });
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }
}
