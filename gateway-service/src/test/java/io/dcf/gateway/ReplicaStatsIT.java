package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.ScaleRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicas' own counters in {@code /metrics} (docs/metrics.md): a real gateway asks its real
 * watcher processes for {@code Watcher/Stats} every 300 ms; calls held in a slow handler show in
 * {@code dcf_replica_inflight} under the replica's id, and a replica that goes away takes its
 * series with it.
 */
class ReplicaStatsIT {

    private static final int HELD = 3;

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.metrics.replica-stats-interval=300ms",
                "--dcf.gateway.default-timeout=120s");
        Path slow = TestGateway.javaFunction(tmp, "held", """
                    public Response handle(Request request) throws Exception {
                        Thread.sleep(Long.parseLong(request.text()));
                        return Response.text("done");
                    }
                """);
        gw.deploy("held", slow, FunctionSpec.newBuilder().setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("Handler")).setTimeout(Durations.fromSeconds(120)));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void heldCalls_showInTheReplicasGauge_andAGoneReplicaLeavesTheScrape() {
        Map<String, String> replica0 = Map.of("function_name", "held", "namespace", "local", "pod", "0");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(scrape().value("dcf_replica_inflight", replica0)).isZero());

        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            held.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port + "/function/held"))
                    .POST(HttpRequest.BodyPublishers.ofString("100000")).build(), HttpResponse.BodyHandlers.ofString()));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            PrometheusText m = scrape();
            assertThat(m.value("dcf_replica_inflight", replica0)).isEqualTo((double) HELD);
            assertThat(m.value("dcf_replica_max_concurrency", replica0)).isPositive();
            assertThat(m.type("dcf_replica_calls_seconds")).isNotNull();
        });
        assertThat(held).noneMatch(CompletableFuture::isDone);

        gw.grpc().scale(ScaleRequest.newBuilder().setName("held").setReplicas(2).build());
        Map<String, String> replica1 = Map.of("function_name", "held", "namespace", "local", "pod", "1");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(scrape().value("dcf_replica_inflight", replica1)).isZero());

        gw.grpc().scale(ScaleRequest.newBuilder().setName("held").setReplicas(1).build()); // stops replica 1

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            PrometheusText m = scrape();
            assertThat(m.value("dcf_replica_inflight", replica1)).isNull();
            assertThat(m.value("dcf_replica_errors_total", replica1)).isNull();
            assertThat(m.value("dcf_replica_inflight", replica0)).isEqualTo((double) HELD);
        });
        held.forEach(f -> f.cancel(true));
    }

    private static PrometheusText scrape() {
        HttpResponse<byte[]> response = gw.send("GET", "/metrics", null, null, Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
}
