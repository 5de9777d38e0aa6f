package io.dcf.gateway;

import static io.dcf.gateway.TestGateway.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ScaleRequest;
import io.dcf.proto.v1.ScaleSpec;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale to zero and back in local mode, with real watcher processes and short windows: a
 * function with {@code min: 0} goes to zero after {@code zero_after}; a burst of 200 concurrent
 * calls wakes it and every one succeeds; a replica that never becomes ready answers the waiting
 * calls 503 with Retry-After and those past the queue bound 429; a gateway restart starts an
 * autoscaled function at its min, not at the count it had; a stream waits for a replica like a
 * call; a function pinned at 0 is paused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalingIT {

    private static final String[] FAST_WINDOWS = {"--dcf.gateway.autoscaler.tick=200ms",
            "--dcf.gateway.autoscaler.stable-window=3s", "--dcf.gateway.autoscaler.panic-window=1s"};

    @TempDir
    static Path tmp;
    /**
     * Where the stuck files live: a directory replicas can see (they run as another user when the
     * tests run as root, and the test's own temp directory, not searchable by others, is hidden from them).
     */
    static Path shared;

    @BeforeAll
    static void sharedDirectory() throws IOException {
        shared = Files.createTempDirectory("dcf-autoscaling-it-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void removeSharedDirectory() throws IOException {
        try (var files = Files.list(shared)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(shared);
    }

    private static FunctionSpec.Builder toZero(Path stuckFile) {
        return FunctionSpec.newBuilder().setRuntime("java").putEnvironment("STUCK_FILE", stuckFile.toString())
                .setScale(ScaleSpec.newBuilder().setMin(0).setMax(2).setTargetInflight(50)
                        .setZeroAfter(Durations.fromSeconds(2)));
    }

    /** An echo whose replicas never become ready while {@code STUCK_FILE} exists (its init waits). */
    private static Path echo(String name) {
        return TestGateway.javaFunction(tmp, name, """
                    @Override
                    public void init(io.dcf.sdk.Context context) throws Exception {
                        java.nio.file.Path stuck = java.nio.file.Path.of(System.getenv("STUCK_FILE"));
                        while (java.nio.file.Files.exists(stuck)) {
                            Thread.sleep(50);
                        }
                    }

                    @Override
                    public Response handle(Request request) {
                        return Response.text(request.text());
                    }
                """);
    }

    private static FunctionStatus status(TestGateway gw, String name) {
        return gw.grpc().get(GetRequest.newBuilder().setName(name).build());
    }

    private static void awaitZero(TestGateway gw, String name) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            FunctionStatus s = status(gw, name);
            assertThat(s.getReplicas()).isZero();
            assertThat(s.getReplicaStatusesList()).isEmpty();
        });
    }

    @Test
    @Order(1)
    void minZero_goesToZeroAfterZeroAfter_andABurstOf200CallsWakesIt_everyOneSucceeds() throws Exception {
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"), FAST_WINDOWS)) {
            FunctionStatus deployed = gw.deploy("sleepy", echo("sleepy"), toZero(shared.resolve("sleepy.stuck")));
            assertThat(deployed.getReadyReplicas()).as("a deploy starts one replica, to check it runs").isEqualTo(1);
            gw.deploy("stuck", echo("stuck"), toZero(shared.resolve("stuck.stuck")));
            assertThat(gw.post("/function/sleepy", bytes("hi").toByteArray(), "text/plain").statusCode())
                    .isEqualTo(200);
            awaitZero(gw, "sleepy");
            awaitZero(gw, "stuck");

            GatewayGrpc.GatewayStub async = GatewayGrpc.newStub(gw.channel).withDeadlineAfter(120, TimeUnit.SECONDS);
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                CompletableFuture<String> reply = new CompletableFuture<>();
                async.invoke(InvokeRequest.newBuilder().setFunction("sleepy").setInput(bytes("call-" + i)).build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(InvokeReply r) {
                                reply.complete(r.getOutput().toStringUtf8());
                            }

                            @Override
                            public void onError(Throwable t) {
                                reply.completeExceptionally(t);
                            }

                            @Override
                            public void onCompleted() {
                            }
                        });
                replies.add(reply);
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            for (int i = 0; i < 200; i++) {
                assertThat(replies.get(i).join()).isEqualTo("call-" + i);
            }
            assertThat(status(gw, "sleepy").getReadyReplicas()).isPositive();

            PrometheusText metrics = PrometheusText.parse(new String(
                    gw.send("GET", "/metrics", null, null, Map.of()).body(), StandardCharsets.UTF_8));
            Map<String, String> sleepy = Map.of("function_name", "sleepy");
            assertThat(metrics.value("dcf_function_cold_start_seconds_count", sleepy))
                    .as("the deploy's replica and the one the burst woke").isGreaterThanOrEqualTo(2.0);
            assertThat(metrics.value("dcf_function_queue_wait_seconds_count", sleepy))
                    .as("calls that waited for the woken replica").isPositive();
            assertThat(metrics.value("gateway_function_invocation_total", Map.of("function_name", "sleepy",
                    "code", "200"))).isEqualTo(201.0);
        }
    }

    @Test
    @Order(2)
    void restart_startsAtMin_thenWaitingCallsGet503WithRetryAfter_andThosePastTheQueueBound429() throws Exception {
        Path stuck = Files.writeString(shared.resolve("stuck.stuck"), "its replicas never become ready now");
        Files.setPosixFilePermissions(stuck, PosixFilePermissions.fromString("rw-r--r--"));
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.autoscaler.queue-size=2",
                "--dcf.gateway.autoscaler.activation-timeout=15s", FAST_WINDOWS[0], FAST_WINDOWS[1], FAST_WINDOWS[2])) {
            FunctionStatus sleepy = status(gw, "sleepy");
            assertThat(sleepy.getReplicas()).as("an autoscaled function restarts at its min").isZero();
            assertThat(sleepy.getReplicaStatusesList()).isEmpty();

            List<CompletableFuture<HttpResponse<byte[]>>> calls = IntStream.range(0, 10)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> gw.post("/function/stuck",
                            bytes("x").toByteArray(), "text/plain")))
                    .toList();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (CompletableFuture<HttpResponse<byte[]>> call : calls) {
                HttpResponse<byte[]> response = call.get(60, TimeUnit.SECONDS);
                byStatus.merge(response.statusCode(), 1, Integer::sum);
                String body = new String(response.body(), StandardCharsets.UTF_8);
                if (response.statusCode() == 503) {
                    assertThat(response.headers().firstValue("retry-after")).contains("5");
                    assertThat(body).contains("\"code\":\"UNAVAILABLE\"").contains("function stuck has no ready"
                            + " replica after waiting 15000 ms for one to start");
                } else {
                    assertThat(body).contains("\"code\":\"RESOURCE_EXHAUSTED\"")
                            .contains("function stuck: 2 calls already wait for a replica");
                }
            }
            assertThat(byStatus).isEqualTo(Map.of(429, 8, 503, 2));

            assertThat(gw.invokes(List.of(
                    InvokeRequest.newBuilder().setFunction("sleepy").setInput(bytes("s1")).build(),
                    InvokeRequest.newBuilder().setInput(bytes("s2")).build())))
                    .as("a stream to a function at zero waits for its replica").containsExactly("s1", "s2");

            gw.grpc().scale(ScaleRequest.newBuilder().setName("sleepy").setReplicas(0).build());
            HttpResponse<byte[]> paused = gw.post("/function/sleepy", bytes("x").toByteArray(), "text/plain");
            assertThat(paused.statusCode()).isEqualTo(503);
            assertThat(new String(paused.body(), StandardCharsets.UTF_8)).contains("function sleepy is paused");
        }
    }
}
