package io.dcf.gateway.backend.kubernetes;

import io.dcf.gateway.scale.ScaleSpecs;
import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V2CrossVersionObjectReference;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscalerSpec;
import io.kubernetes.client.openapi.models.V2MetricIdentifier;
import io.kubernetes.client.openapi.models.V2MetricSpec;
import io.kubernetes.client.openapi.models.V2MetricTarget;
import io.kubernetes.client.openapi.models.V2PodsMetricSource;
import java.util.List;

/**
 * The HorizontalPodAutoscaler of a function in {@code scale.mode: hpa} (docs/autoscaling.md):
 * its Deployment between {@code scale.min} and {@code scale.max} on the Pods metric
 * {@value #METRIC} (per pod, averaged: {@code target_inflight}), which prometheus-adapter
 * serves from Prometheus (the chart's {@code prometheusAdapter} rule). Pure, like
 * {@link DeploymentSpecs}. The body is the same in {@code autoscaling/v2} (Kubernetes 1.23 and
 * later) and {@code autoscaling/v2beta2} (1.12 to 1.25, all a 1.20 cluster has): only
 * {@code apiVersion} differs, chosen by what the API server serves.
 */
final class HpaSpecs {

    /** The per-pod metric the HPA averages. */
    static final String METRIC = "gateway_function_invocation_inflight";
    static final String V2 = "autoscaling/v2";
    static final String V2BETA2 = "autoscaling/v2beta2";
    /** The target in-flight calls per pod when the spec sets no {@code target_inflight}. */
    static final int DEFAULT_TARGET = 10;

    private HpaSpecs() {
    }

    /**
     * The HPA of {@code spec} (in hpa mode, so with {@code scale.max}: {@code ScaleSpecs.check}) in
     * {@code apiVersion}; the target is {@value #DEFAULT_TARGET} when the spec sets no {@code target_inflight}.
     */
    static V2HorizontalPodAutoscaler hpa(FunctionSpec spec, KubernetesSettings settings, String apiVersion) {
        if (!ScaleSpecs.hpa(spec)) {
            throw new IllegalArgumentException("function " + spec.getName() + " is not in scale.mode hpa");
        }
        if (!V2.equals(apiVersion) && !V2BETA2.equals(apiVersion)) {
            throw new IllegalArgumentException("apiVersion: " + apiVersion + " (expected: " + V2 + " or " + V2BETA2 + ")");
        }
        String name = spec.getName();
        V2MetricSpec inflight = new V2MetricSpec().type("Pods").pods(new V2PodsMetricSource()
                .metric(new V2MetricIdentifier().name(METRIC))
                .target(new V2MetricTarget().type("AverageValue")
                        .averageValue(new Quantity(Integer.toString(ScaleSpecs.target(spec, DEFAULT_TARGET))))));
        return new V2HorizontalPodAutoscaler().apiVersion(apiVersion).kind("HorizontalPodAutoscaler")
                .metadata(new V1ObjectMeta().name(name).namespace(settings.namespace())
                        .labels(FunctionMetadata.labels(spec)))
                .spec(new V2HorizontalPodAutoscalerSpec()
                        .scaleTargetRef(new V2CrossVersionObjectReference().apiVersion("apps/v1").kind("Deployment")
                                .name(name))
                        .minReplicas(Math.max(1, spec.getScale().getMin()))
                        .maxReplicas(spec.getScale().getMax())
                        .metrics(List.of(inflight)));
    }

    /** {@link #V2} when the API server serves it, else {@link #V2BETA2}. */
    static String apiVersion(List<String> autoscalingVersions) {
        return autoscalingVersions.contains("v2") ? V2 : V2BETA2;
    }
}
