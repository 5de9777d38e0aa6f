package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.ListRequest;
import io.dcf.proto.v1.ReplicaStatus;
import io.dcf.proto.v1.ScaleRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateway restarts, rolling updates, scaling and deletes, each on its own DCF_HOME. */
class GatewayLifecycleIT {

    @TempDir
    Path tmp;

    @Test
    void unknownBackend_stopsTheStartWithTheRule() {
        assertThatThrownBy(() -> TestGateway.start(tmp, "--dcf.gateway.backend=nomad"))
                .satisfies(e -> assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(e))
                        .hasMessageContaining("dcf.gateway.backend"))
                .hasStackTraceContaining("must be local or kubernetes");
        assertThat(tmp.resolve("gateway.pid")).doesNotExist();
    }

    @Test
    void restart_bringsFunctionsBackWithTheirReplicaCount() {
        Path home = tmp.resolve("home");
        List<Long> oldPids;
        try (TestGateway gw = TestGateway.start(home)) {
            gw.deployJava("survivor", TestGateway.EXAMPLES.resolve("hello-java"));
            FunctionStatus scaled = gw.grpc().scale(ScaleRequest.newBuilder().setName("survivor").setReplicas(2).build());
            assertThat(scaled.getReplicas()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(60)).until(() -> status(gw, "survivor").getReadyReplicas() == 2);
            oldPids = pids(status(gw, "survivor"));
        }
        assertThat(oldPids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("replica %d stopped with the gateway", pid).isNotEqualTo(java.util.Optional.of(true)));
        try (TestGateway gw = TestGateway.start(home)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> status(gw, "survivor").getReadyReplicas() == 2);
            HttpResponse<byte[]> response = gw.post("/function/survivor", "still here".getBytes(StandardCharsets.UTF_8), null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("still here");
        }
    }

    @Test
    void update_replacesReplicasOneAtATimeWithoutFailedRequests() throws Exception {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"))) {
            Path v1 = TestGateway.javaFunction(tmp, "v1", """
                        public Response handle(Request request) { return Response.text("v1"); }
                    """);
            Path v2 = TestGateway.javaFunction(tmp, "v2", """
                        public Response handle(Request request) { return Response.text("v2"); }
                    """);
            FunctionSpec.Builder spec = FunctionSpec.newBuilder().setName("rolling").setRuntime("java").setReplicas(2)
                    .setHandler(HandlerRef.newBuilder().setName("Handler"));
            gw.deploy("rolling", v1, spec);
            await().atMost(Duration.ofSeconds(60)).until(() -> status(gw, "rolling").getReadyReplicas() == 2);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
            ExecutorService load = Executors.newFixedThreadPool(2);
            List<Future<?>> loops = List.of(load.submit(() -> callLoop(gw, running, ok, failures, answers)),
                    load.submit(() -> callLoop(gw, running, ok, failures, answers)));
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > 20);

            FunctionStatus updated = gw.grpc().update(DeployRequest.newBuilder().setSpec(spec)
                    .setArtifact(Artifact.newBuilder().setLocalPath(v2.toString())).build());
            int before = ok.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> ok.get() > before + 20);
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            load.shutdown();

            assertThat(updated.getGeneration()).isEqualTo(2);
            assertThat(updated.getReadyReplicas()).isEqualTo(2);
            assertThat(failures).isEmpty();
            assertThat(answers).contains("v1", "v2");
            HttpResponse<byte[]> last = gw.post("/function/rolling", new byte[0], null);
            assertThat(new String(last.body(), StandardCharsets.UTF_8)).isEqualTo("v2");
        }
    }

    @Test
    void update_withBrokenCode_keepsTheOldVersionServing() {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"))) {
            gw.deployJava("steady", TestGateway.EXAMPLES.resolve("hello-java"));
            Path broken = TestGateway.javaFunction(tmp, "broken", """
                        public Handler() { throw new IllegalStateException("model file missing"); }
                        public Response handle(Request request) { return Response.text("never"); }
                    """);
            FunctionSpec spec = FunctionSpec.newBuilder().setName("steady").setRuntime("java")
                    .setHandler(HandlerRef.newBuilder().setName("Handler")).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gw.grpc().update(DeployRequest.newBuilder()
                    .setSpec(spec).setArtifact(Artifact.newBuilder().setLocalPath(broken.toString())).build()))
                    .hasMessageContaining("failed to start");
            FunctionStatus after = status(gw, "steady");
            assertThat(after.getGeneration()).isEqualTo(1);
            HttpResponse<byte[]> response = gw.post("/function/steady", "ok".getBytes(StandardCharsets.UTF_8), null);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        }
    }

    @Test
    void delete_endsEveryChildProcess() {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"))) {
            gw.deployJava("doomed", TestGateway.EXAMPLES.resolve("hello-java"));
            gw.grpc().scale(ScaleRequest.newBuilder().setName("doomed").setReplicas(3).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> status(gw, "doomed").getReadyReplicas() == 3);
            List<Long> pids = pids(status(gw, "doomed"));
            assertThat(pids).hasSize(3);

            gw.grpc().delete(DeleteRequest.newBuilder().setName("doomed").build());

            assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                    .as("replica pid %d", pid).isEmpty());
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .filter(p -> pids.contains(p.pid()))).isEmpty();
            assertThat(gw.grpc().list(ListRequest.getDefaultInstance()).getFunctionsList()).isEmpty();
            assertThat(gw.post("/function/doomed", new byte[0], null).statusCode()).isEqualTo(404);
        }
    }

    private static void callLoop(TestGateway gw, AtomicBoolean running, AtomicInteger ok,
                                 ConcurrentLinkedQueue<String> failures, ConcurrentLinkedQueue<String> answers) {
        while (running.get()) {
            HttpResponse<byte[]> r = gw.post("/function/rolling", new byte[0], null);
            String body = new String(r.body(), StandardCharsets.UTF_8);
            if (r.statusCode() == 200) {
                ok.incrementAndGet();
                if (!answers.contains(body)) {
                    answers.add(body);
                }
            } else {
                failures.add(r.statusCode() + " " + body);
            }
        }
    }

    private static FunctionStatus status(TestGateway gw, String name) {
        return gw.grpc().get(GetRequest.newBuilder().setName(name).build());
    }

    private static List<Long> pids(FunctionStatus status) {
        return status.getReplicaStatusesList().stream().map(ReplicaStatus::getPid).filter(p -> p > 0).toList();
    }
}
