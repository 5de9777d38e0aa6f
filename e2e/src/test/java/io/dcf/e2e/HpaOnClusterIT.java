package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.ReplicaStatus;
import io.dcf.proto.v1.ScaleSpec;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.AutoscalingApi;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    private static final String FN = "hpa-echo";
    private static final String METRIC = "gateway_function_invocation_inflight";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KubernetesGateway gateway;
    private static String namespace;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = KubernetesGateway.start("dcf-e2e-hpa-", "--dcf.gateway.metrics.replica-stats-interval=1s");
        namespace = gateway.namespace();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void hpaFunction_getsAnHpaTheApiServerAccepts_andThePodsOwnStatsShow() throws Exception {
        Cluster cluster = Cluster.get();
        gateway.grpc(240).deploy(DeployRequest.newBuilder().setSpec(FunctionSpec.newBuilder()
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
        ReplicaStatus pod = gateway.grpc(30)
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
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.uri("/function/" + FN))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
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
