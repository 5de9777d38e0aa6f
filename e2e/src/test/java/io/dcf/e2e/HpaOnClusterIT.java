package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.dcf.gateway.GatewayApplication;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.ReplicaStatus;
import io.dcf.proto.v1.ScaleSpec;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.AutoscalingApi;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code scale.mode: hpa} and the replicas' own counters on the real one-node 1.20 cluster, with
 * the gateway (Kubernetes backend) in this JVM as {@link KubernetesBackendOnClusterIT} runs it: the
 * API server accepts the function's HorizontalPodAutoscaler (autoscaling/v2beta2 there) with the
 * spec's metric, target and bounds, owned by the Deployment; the HPA controller asks the custom
 * metrics API for that metric (no prometheus-adapter here: it says it cannot get it); the gateway
 * reports the pod's own {@code Watcher/Stats} as {@code dcf_replica_*} under the pod's name; and
 * deleting the Deployment takes the HPA (garbage collection by owner) and the pod's series with it.
 */
class HpaOnClusterIT {

    private static final String TOKEN = "e2e-" + UUID.randomUUID();
    private static final String FN = "hpa-echo";
    private static final String METRIC = "gateway_function_invocation_inflight";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String namespace;
    private static ConfigurableApplicationContext gateway;
    private static ManagedChannel channel;
    private static GatewayGrpc.GatewayBlockingStub stub;
    private static int port;

    @BeforeAll
    static void startGateway() throws Exception {
        Cluster cluster = Cluster.get();
        namespace = "dcf-e2e-hpa-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.core().createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
        Path home = Files.createTempDirectory("dcf-e2e-home");
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--dcf.gateway.port=0",
                "--dcf.gateway.home=" + home,
                "--dcf.gateway.backend=kubernetes",
                "--dcf.gateway.kubernetes.namespace=" + namespace,
                "--dcf.gateway.kubernetes.kubeconfig=" + Cluster.kubeconfig(),
                "--dcf.gateway.kubernetes.ready-timeout=180s",
                "--dcf.gateway.metrics.replica-stats-interval=1s",
                "--dcf.gateway.auth.token=" + TOKEN);
        port = gateway.getBean(com.linecorp.armeria.server.Server.class).activeLocalPort();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
        stub = GatewayGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
        if (namespace != null) {
            Cluster.get().core().deleteNamespace(namespace).execute();
        }
    }

    @Test
    void hpaFunction_getsAnHpaTheApiServerAccepts_andThePodsOwnStatsShow() throws Exception {
        Cluster cluster = Cluster.get();
        stub.withDeadlineAfter(240, TimeUnit.SECONDS).deploy(DeployRequest.newBuilder().setSpec(FunctionSpec.newBuilder()
                .setName(FN).setRuntime("java").setImage(E2eImages.javaEcho())
                .setHandler(HandlerRef.newBuilder().setName("Handler"))
                .setScale(ScaleSpec.newBuilder().setMode("hpa").setMin(1).setMax(3).setTargetInflight(4))).build());
        V1Deployment deployment = new AppsV1Api(cluster.api()).readNamespacedDeployment(FN, namespace).execute();

        // the HPA as the real API server stores it
        // autoscaling/v2 where the API server serves it (1.23+), else v2beta2 (all 1.20 has)
        boolean v2 = new AutoscalingApi(cluster.api()).getAPIGroup().execute().getVersions().stream()
                .anyMatch(v -> v.getVersion().equals("v2"));
        String version = v2 ? "v2" : "v2beta2";
        DynamicKubernetesApi hpas = new DynamicKubernetesApi("autoscaling", version, "horizontalpodautoscalers", cluster.api());
        DynamicKubernetesObject hpa = hpas.get(namespace, FN).throwsApiException().getObject();
        assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/" + version);
        assertThat(hpa.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Deployment");
            assertThat(owner.getName()).isEqualTo(FN);
            assertThat(owner.getUid()).isEqualTo(deployment.getMetadata().getUid());
        });
        JsonObject spec = hpa.getRaw().getAsJsonObject("spec");
        assertThat(spec.getAsJsonObject("scaleTargetRef").get("kind").getAsString()).isEqualTo("Deployment");
        assertThat(spec.getAsJsonObject("scaleTargetRef").get("name").getAsString()).isEqualTo(FN);
        assertThat(spec.get("minReplicas").getAsInt()).isEqualTo(1);
        assertThat(spec.get("maxReplicas").getAsInt()).isEqualTo(3);
        JsonArray metrics = spec.getAsJsonArray("metrics");
        assertThat(metrics).hasSize(1);
        JsonObject pods = metrics.get(0).getAsJsonObject();
        assertThat(pods.get("type").getAsString()).isEqualTo("Pods");
        assertThat(pods.getAsJsonObject("pods").getAsJsonObject("metric").get("name").getAsString()).isEqualTo(METRIC);
        JsonObject target = pods.getAsJsonObject("pods").getAsJsonObject("target");
        assertThat(target.get("type").getAsString()).isEqualTo("AverageValue");
        assertThat(target.get("averageValue").getAsString()).isEqualTo("4");

        // the HPA controller asks the custom metrics API for that metric (none is served here)
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(String.valueOf(hpas.get(namespace, FN).throwsApiException().getObject().getRaw()
                        .getAsJsonObject("status").get("conditions"))).contains(METRIC)); // null until the first sync

        // the gateway reads the pod's own counters under the pod's name
        ReplicaStatus pod = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .get(GetRequest.newBuilder().setName(FN).build()).getReplicaStatuses(0);
        String labels = "function_name=\"" + FN + "\",namespace=\"" + namespace + "\",pod=\"" + pod.getName() + "\"";
        for (int i = 0; i < 5; i++) {
            assertThat(post("call " + i)).isEqualTo("call " + i);
        }
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            String scrape = scrape();
            assertThat(value(scrape, "dcf_replica_inflight", labels)).hasValue(0.0);
            assertThat(value(scrape, "dcf_replica_calls_seconds_count", labels)).hasValueSatisfying(
                    calls -> assertThat(calls).isGreaterThanOrEqualTo(5.0)); // the readiness checks are not calls
        });

        // the Deployment deleted behind the gateway's back: the cluster deletes its HPA, the pod's series leave
        new AppsV1Api(cluster.api()).deleteNamespacedDeployment(FN, namespace).propagationPolicy("Background").execute();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            KubernetesApiResponse<DynamicKubernetesObject> gone = hpas.get(namespace, FN);
            assertThat(gone.getHttpStatusCode()).isEqualTo(404);
        });
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(value(scrape(), "dcf_replica_inflight", labels)).isEmpty());
    }

    private static String post(String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/function/" + FN))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the series {@code name{labels}} (labels in the exposition's alphabetical order), if present. */
    private static Optional<Double> value(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + ",}") + " (\\S+)$").matcher(scrape);
        if (m.find()) {
            return Optional.of(Double.parseDouble(m.group(1)));
        }
        m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }
}
