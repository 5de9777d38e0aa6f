package io.dcf.gateway;

import static io.dcf.gateway.TestGateway.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ListRequest;
import io.dcf.proto.v1.ScaleRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics on a real gateway after a known mix of calls (HTTP, gRPC, a stream, the compat
 * service; successes and errors) on real watcher processes: the scrape parses strictly and
 * carries exactly the expected count per function and code.
 */
class MetricsIT {

    private static final int STREAMED = 7;

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.max-body=64KB");
        gw.deployJava("echo", TestGateway.EXAMPLES.resolve("hello-java"));
        Path slow = TestGateway.javaFunction(tmp, "slow", """
                    public Response handle(Request request) throws Exception {
                        Thread.sleep(30_000);
                        return Response.text("late");
                    }
                """);
        gw.deploy("slow", slow, FunctionSpec.newBuilder().setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("Handler")).setTimeout(Durations.fromMillis(300)));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void knownMixOfCalls_countedPerFunctionAndCode() throws Exception {
        PrometheusText before = scrape(); // the other tests call missing names and functions of their own
        double unknownBefore = invocations(before).getOrDefault("_unknown/404", 0.0);
        Double overheadBefore = before.value("dcf_gateway_overhead_seconds_count", Map.of());
        for (int i = 0; i < 3; i++) {
            assertThat(gw.post("/function/echo", bytes("hi").toByteArray(), "text/plain").statusCode()).isEqualTo(200);
        }
        assertThat(gw.post("/function/nope", new byte[1], null).statusCode()).isEqualTo(404);
        assertThat(gw.post("/function/also-missing/x", new byte[1], null).statusCode()).isEqualTo(404);
        assertThat(gw.post("/function/echo", new byte[128 * 1024], null).statusCode()).isEqualTo(413);
        assertThat(gw.post("/function/slow", new byte[1], null).statusCode()).isEqualTo(504);
        for (int i = 0; i < 2; i++) {
            gw.grpc().invoke(InvokeRequest.newBuilder().setFunction("echo").setInput(bytes("g")).build());
        }
        assertThatThrownBy(() -> gw.grpc().invoke(InvokeRequest.newBuilder().setFunction("ghost").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        List<InvokeRequest> stream = new ArrayList<>();
        for (int i = 0; i < STREAMED; i++) {
            stream.add(InvokeRequest.newBuilder().setFunction(i == 0 ? "echo" : "").setInput(bytes("s" + i)).build());
        }
        assertThat(gw.invokes(stream)).hasSize(STREAMED);
        assertThat(FxGatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS)
                .invoke(InvokeServiceRequest.newBuilder().setService("echo").setInput(bytes("fx")).build())
                .getMsg()).isEqualTo("fx");

        long echoOk = 3 + 2 + STREAMED + 1;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusText m = scrape();
            assertThat(invocations(m)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "echo/200", (double) echoOk,
                    "echo/413", 1.0,
                    "slow/504", 1.0,
                    "_unknown/404", unknownBefore + 3));
            assertThat(m.value("gateway_function_invocation_inflight", Map.of("function_name", "echo"))).isZero();
            assertThat(m.value("gateway_function_invocation_inflight", Map.of("function_name", "slow"))).isZero();
        });
        PrometheusText m = scrape();
        assertThat(m.type("gateway_function_invocation_total")).isEqualTo("counter");
        assertThat(m.type("gateway_functions_seconds")).isEqualTo("histogram");
        assertThat(m.type("gateway_function_invocation_started")).isEqualTo("gauge");
        assertThat(m.value("gateway_function_invocation_started", Map.of("function_name", "echo")))
                .isEqualTo(echoOk + 1);
        Map<String, String> echo200 = Map.of("function_name", "echo", "code", "200");
        assertThat(m.value("gateway_functions_seconds_count", echo200)).isEqualTo((double) echoOk);
        assertThat(m.value("gateway_functions_seconds_bucket", with(echo200, "le", "+Inf"))).isEqualTo((double) echoOk);
        assertThat(m.value("gateway_functions_seconds_bucket", with(echo200, "le", "0.005"))).isNotNull();
        assertThat(m.value("gateway_functions_seconds_bucket",
                Map.of("function_name", "slow", "code", "504", "le", "0.25"))).isZero(); // waited the 300 ms timeout
        assertThat(m.value("dcf_function_streams_total", echo200)).isEqualTo(1.0);
        // every call that reached a replica: 3 HTTP + 2 gRPC + the compat one to echo, and the timed-out one
        assertThat(m.value("dcf_gateway_overhead_seconds_count", Map.of()) - overheadBefore).isEqualTo(7.0);
        assertThat(m.value("gateway_service_count", Map.of("function_name", "echo"))).isEqualTo(1.0);
        assertThat(m.value("gateway_service_ready_count", Map.of("function_name", "echo"))).isEqualTo(1.0);

        long listed = gw.grpc().list(ListRequest.getDefaultInstance()).getFunctionsList().stream()
                .filter(f -> f.getSpec().getName().equals("echo")).findFirst().orElseThrow().getInvocationCount();
        assertThat(listed).isEqualTo(echoOk + 1);
        assertThat(gw.grpc().get(GetRequest.newBuilder().setName("slow").build()).getInvocationCount()).isEqualTo(1);
    }

    @Test
    void coldStart_recordedOncePerReplicaStart() {
        gw.deployJava("cold", TestGateway.EXAMPLES.resolve("hello-java"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                scrape().value("dcf_function_cold_start_seconds_count", Map.of("function_name", "cold"))).isEqualTo(1.0));

        gw.grpc().scale(ScaleRequest.newBuilder().setName("cold").setReplicas(3).build());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                scrape().value("dcf_function_cold_start_seconds_count", Map.of("function_name", "cold"))).isEqualTo(3.0));
        PrometheusText m = scrape();
        assertThat(m.value("dcf_function_cold_start_seconds_sum", Map.of("function_name", "cold"))).isPositive();
        assertThat(m.value("gateway_service_ready_count", Map.of("function_name", "cold"))).isEqualTo(3.0);
        gw.grpc().delete(DeleteRequest.newBuilder().setName("cold").build());
    }

    @Test
    void jvmArmeriaAndManagementMeters_present() {
        gw.grpc().list(ListRequest.getDefaultInstance());
        PrometheusText m = scrape();
        assertThat(m.samples("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(m.samples("jvm_threads_live_threads")).isNotEmpty();
        assertThat(m.samples("jvm_gc_memory_allocated_bytes_total")).isNotEmpty();
        assertThat(m.samples("process_uptime_seconds")).isNotEmpty();
        assertThat(m.samples("process_files_open_files")).isNotEmpty();
        assertThat(m.samples("armeria_server_connections")).isNotEmpty();
        assertThat(m.matching("dcf_gateway_management_requests_total",
                Map.of("service", "dcf.v1.Gateway", "method", "List", "grpc_status", "0"))).isNotEmpty();
        assertThat(m.matching("dcf_gateway_management_requests_total", Map.of("method", "Invoke"))).isEmpty();
    }

    @Test
    void deletedFunction_leavesTheScrape() {
        gw.deployJava("short-lived", TestGateway.EXAMPLES.resolve("hello-java"));
        assertThat(gw.post("/function/short-lived", new byte[1], null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                scrape().value("gateway_function_invocation_total",
                        Map.of("function_name", "short-lived", "code", "200"))).isEqualTo(1.0));
        assertThat(scrape().value("gateway_service_count", Map.of("function_name", "short-lived"))).isEqualTo(1.0);

        gw.grpc().delete(DeleteRequest.newBuilder().setName("short-lived").build());

        String text = scrapeText();
        assertThat(text).doesNotContain("short-lived");
        assertThat(gw.post("/function/short-lived", new byte[1], null).statusCode()).isEqualTo(404);
        assertThat(scrapeText()).doesNotContain("short-lived");
    }

    @Test
    void metrics_openWithoutToken_asPrometheusScrapes() {
        HttpResponse<byte[]> response = gw.send("GET", "/metrics", null, null, Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(gw.send("POST", "/metrics", new byte[0], null, Map.of()).statusCode()).isEqualTo(405);
    }

    private static Map<String, Double> invocations(PrometheusText m) {
        Map<String, Double> out = new java.util.HashMap<>();
        m.samples("gateway_function_invocation_total").forEach(s ->
                out.put(s.labels().get("function_name") + "/" + s.labels().get("code"), s.value()));
        return out;
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> out = new java.util.HashMap<>(labels);
        out.put(key, value);
        return out;
    }

    static String scrapeText() {
        HttpResponse<byte[]> response = gw.send("GET", "/metrics", null, null, Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static PrometheusText scrape() {
        return PrometheusText.parse(scrapeText());
    }
}
