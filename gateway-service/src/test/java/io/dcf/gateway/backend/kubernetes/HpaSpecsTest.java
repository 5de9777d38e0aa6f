package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.ScaleSpec;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V2MetricSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link HpaSpecs} makes of an hpa-mode spec, asserted on client-java's models and their JSON. */
class HpaSpecsTest {

    private static final KubernetesSettings SETTINGS = KubernetesSettings.defaults("dcf-fn");

    private static FunctionSpec hpa(ScaleSpec.Builder scale) {
        return FunctionSpec.newBuilder().setName("resize").setRuntime("java").setImage("registry.local/resize:1")
                .setScale(scale.setMode("hpa")).build();
    }

    @Test
    void hpa_scalesTheDeployment_onThePodsInflightMetric_betweenMinAndMax() {
        V2HorizontalPodAutoscaler hpa = HpaSpecs.hpa(hpa(ScaleSpec.newBuilder().setMin(2).setMax(7)
                .setTargetInflight(20)), SETTINGS, HpaSpecs.V2BETA2);

        assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2beta2");
        assertThat(hpa.getKind()).isEqualTo("HorizontalPodAutoscaler");
        assertThat(hpa.getMetadata().getName()).isEqualTo("resize");
        assertThat(hpa.getMetadata().getNamespace()).isEqualTo("dcf-fn");
        assertThat(hpa.getMetadata().getLabels()).containsEntry(FunctionMetadata.MANAGED_BY_LABEL, "dcf")
                .containsEntry(FunctionMetadata.NAME_LABEL, "resize");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("resize");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(7);
        V2MetricSpec metric = hpa.getSpec().getMetrics().get(0);
        assertThat(hpa.getSpec().getMetrics()).hasSize(1);
        assertThat(metric.getType()).isEqualTo("Pods");
        assertThat(metric.getPods().getMetric().getName()).isEqualTo("gateway_function_invocation_inflight");
        assertThat(metric.getPods().getTarget().getType()).isEqualTo("AverageValue");
        assertThat(metric.getPods().getTarget().getAverageValue().toSuffixedString()).isEqualTo("20");
    }

    @Test
    void v2AndV2beta2_differOnlyInApiVersion() {
        FunctionSpec spec = hpa(ScaleSpec.newBuilder().setMin(1).setMax(3));
        String v2 = new JSON().serialize(HpaSpecs.hpa(spec, SETTINGS, HpaSpecs.V2));
        String v2beta2 = new JSON().serialize(HpaSpecs.hpa(spec, SETTINGS, HpaSpecs.V2BETA2));

        assertThat(v2beta2).isEqualTo(v2.replace("\"autoscaling/v2\"", "\"autoscaling/v2beta2\""));
        assertThat(v2).contains("\"metrics\":[{\"pods\":{\"metric\":{\"name\":\"gateway_function_invocation_inflight\"},"
                + "\"target\":{\"averageValue\":\"10\",\"type\":\"AverageValue\"}},\"type\":\"Pods\"}]");
    }

    @Test
    void apiVersion_isV2WhereServed_elseV2beta2AsOnKubernetes120() {
        assertThat(HpaSpecs.apiVersion(List.of("v2", "v1"))).isEqualTo("autoscaling/v2");
        assertThat(HpaSpecs.apiVersion(List.of("v1", "v2beta1", "v2beta2"))).isEqualTo("autoscaling/v2beta2");
    }

    @Test
    void aFunctionNotInHpaMode_hasNoHpa() {
        FunctionSpec gateway = hpa(ScaleSpec.newBuilder().setMax(3)).toBuilder()
                .setScale(ScaleSpec.newBuilder().setMax(3)).build();
        assertThatThrownBy(() -> HpaSpecs.hpa(gateway, SETTINGS, HpaSpecs.V2))
                .hasMessage("function resize is not in scale.mode hpa");
    }
}
