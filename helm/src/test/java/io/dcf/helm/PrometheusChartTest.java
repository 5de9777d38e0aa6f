package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus side of {@code scale.mode: hpa} (README.md, "Autoscaling with the HPA"): the
 * ServiceMonitor and the prometheus-adapter rule, whose names must match what the gateway exports
 * and what its HPAs ask for (read from the gateway's sources, so a rename on either side fails here).
 */
class PrometheusChartTest {

    private static final Path GATEWAY_SOURCES = Chart.dir().resolve("../../gateway-service/src/main/java/io/dcf/gateway");

    @Test
    void defaults_noServiceMonitorNoAdapterRule() {
        Rendered rendered = Chart.template(Map.of());

        assertThat(rendered.all(DynamicKubernetesObject.class)).isEmpty();
        assertThat(rendered.all(V1ConfigMap.class)).isEmpty();
    }

    @Test
    void adapterRule_servesTheHpasMetric_fromTheGatewaysPerPodSeries() throws IOException {
        V1ConfigMap config = Chart.template(Map.of("prometheusAdapter.enabled", true)).one(V1ConfigMap.class);

        assertThat(config.getMetadata().getName()).isEqualTo("dcf-prometheus-adapter");
        assertThat(config.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        Map<String, Object> rule = onlyRule(config);
        String metric = (String) ((Map<?, ?>) rule.get("name")).get("as");
        assertThat(metric).isEqualTo("gateway_function_invocation_inflight");
        assertThat(Files.readString(GATEWAY_SOURCES.resolve("backend/kubernetes/HpaSpecs.java")))
                .as("the HPA's metric (HpaSpecs.METRIC)").contains("METRIC = \"" + metric + "\"");
        assertThat(rule.get("seriesQuery")).isEqualTo("dcf_replica_inflight{namespace!=\"\",pod!=\"\"}");
        assertThat(((Map<?, ?>) rule.get("name")).get("matches")).isEqualTo("^dcf_replica_inflight$");
        assertThat(Files.readString(GATEWAY_SOURCES.resolve("metrics/ReplicaSeries.java")))
                .as("the gateway's per-replica gauge").contains("Gauge.builder(\"dcf.replica.inflight\"");
        assertThat(rule.get("resources")).isEqualTo(Map.of("overrides", Map.of(
                "namespace", Map.of("resource", "namespace"), "pod", Map.of("resource", "pod"))));
        assertThat(rule.get("metricsQuery")).isEqualTo("max by (<<.GroupBy>>) (<<.Series>>{<<.LabelMatchers>>})");
    }

    @Test
    void adapterRule_inTheAdaptersNamespace_withExportedLabels() {
        V1ConfigMap config = Chart.template(Map.of("prometheusAdapter.enabled", true,
                "prometheusAdapter.namespace", "monitoring", "prometheusAdapter.namespaceLabel", "exported_namespace",
                "prometheusAdapter.podLabel", "exported_pod")).one(V1ConfigMap.class);

        assertThat(config.getMetadata().getNamespace()).isEqualTo("monitoring");
        Map<String, Object> rule = onlyRule(config);
        assertThat(rule.get("seriesQuery"))
                .isEqualTo("dcf_replica_inflight{exported_namespace!=\"\",exported_pod!=\"\"}");
        assertThat(rule.get("resources")).isEqualTo(Map.of("overrides", Map.of(
                "exported_namespace", Map.of("resource", "namespace"), "exported_pod", Map.of("resource", "pod"))));
    }

    @Test
    void adapterLabel_notAPrometheusLabelName_isRefused() {
        assertThatThrownBy(() -> Chart.template(Map.of("prometheusAdapter.enabled", true,
                "prometheusAdapter.podLabel", "pod-name")))
                .hasMessageContaining("podLabel");
    }

    @Test
    void serviceMonitor_scrapesTheGatewayService_keepingTheFunctionPodsLabels() {
        Rendered rendered = Chart.templateYaml("""
                metrics:
                  serviceMonitor:
                    enabled: true
                    interval: 30s
                    labels: {release: kube-prometheus-stack}
                """);
        DynamicKubernetesObject monitor = rendered.one(DynamicKubernetesObject.class);

        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
        assertThat(monitor.getMetadata().getLabels()).contains(entry("release", "kube-prometheus-stack"));
        JsonObject spec = monitor.getRaw().getAsJsonObject("spec");
        Map<String, String> selector = rendered.one(V1Service.class).getSpec().getSelector();
        JsonObject matchLabels = spec.getAsJsonObject("selector").getAsJsonObject("matchLabels");
        assertThat(matchLabels.keySet()).isEqualTo(selector.keySet());
        selector.forEach((k, v) -> assertThat(matchLabels.get(k).getAsString()).isEqualTo(v));
        assertThat(spec.getAsJsonObject("namespaceSelector").getAsJsonArray("matchNames").get(0).getAsString())
                .isEqualTo(Chart.NAMESPACE);
        JsonObject endpoint = spec.getAsJsonArray("endpoints").get(0).getAsJsonObject();
        assertThat(endpoint.get("port").getAsString()).isEqualTo("http"); // the Service's port name
        assertThat(endpoint.get("path").getAsString()).isEqualTo("/metrics");
        assertThat(endpoint.get("scheme").getAsString()).isEqualTo("http");
        assertThat(endpoint.get("interval").getAsString()).isEqualTo("30s");
        assertThat(endpoint.get("honorLabels").getAsBoolean()).isTrue();
        assertThat(endpoint.has("tlsConfig")).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyRule(V1ConfigMap config) {
        Map<String, Object> adapter = new org.yaml.snakeyaml.Yaml().load(config.getData().get("config.yaml"));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) adapter.get("rules");
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }
}
