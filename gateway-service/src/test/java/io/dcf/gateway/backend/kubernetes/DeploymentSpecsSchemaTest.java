package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.TestSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1Scale;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object the builders make serializes (with client-java's {@code JSON}, as the backend
 * sends it) to JSON that Kubernetes 1.20's schema accepts field for field, and that parses
 * back into client-java's models (which refuse fields of no version and missing required ones).
 */
class DeploymentSpecsSchemaTest {

    private static final OpenApiSchema K1_20 = OpenApiSchema.kubernetes1_20();
    private static final KubernetesSettings SETTINGS = KubernetesSettings.defaults("dcf-fn");

    static Stream<FunctionSpec> specs() {
        return Stream.of(
                spec("{name: plain, image: 'img:1'}"),
                spec("""
                        name: classify
                        runtime: tensorflow-gpu
                        image: registry.example:5000/classify:1.2
                        desc: "Classifies images\\nin two lines"
                        maintainer: alice@example.com
                        replicas: 3
                        timeout: 1.5s
                        environment: {MODEL: resnet50, PATHS: "$(HOME):$PATH"}
                        labels: {team: vision, example.com/tier: gold}
                        annotations: {prometheus.io/scrape: "false"}
                        secrets: [model-store, api.key]
                        constraints: ["gpu=true", "kubernetes.io/arch == amd64"]
                        limits: {cpu: "2", memory: 4Gi, gpu: "2"}
                        requests: {cpu: 0.5, memory: 1G}
                        """),
                spec("{name: scaled-to-zero, image: 'img@sha256:" + "a".repeat(64) + "', replicas: 0,"
                        + " requests: {gpu: '1'}}"));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void deploymentAndService_fitKubernetes1_20sSchema_andParseBack(FunctionSpec spec) throws IOException {
        KubernetesSettings settings = SETTINGS.withGrpcProbes(false);
        String deployment = JSON.serialize(DeploymentSpecs.deployment(spec, settings));
        String service = JSON.serialize(DeploymentSpecs.service(spec, settings));
        String scale = JSON.serialize(DeploymentSpecs.scale(spec.getName(), settings, 2));

        assertThat(K1_20.problems(deployment, "io.k8s.api.apps.v1.Deployment")).isEmpty();
        assertThat(K1_20.problems(service, "io.k8s.api.core.v1.Service")).isEmpty();
        assertThat(K1_20.problems(scale, "io.k8s.api.autoscaling.v1.Scale")).isEmpty();
        assertThat(JSON.serialize(EmptyCollections.prune(V1Deployment.fromJson(deployment)))).isEqualTo(deployment);
        assertThat(JSON.serialize(EmptyCollections.prune(V1Service.fromJson(service)))).isEqualTo(service);
    }

    @Test
    void grpcProbes_areUnknownToKubernetes1_20_soTheyAreOnlyUsedWhereTheServerHasThem() {
        String deployment = JSON.serialize(DeploymentSpecs.deployment(spec("{name: fn, image: img}"),
                SETTINGS.withGrpcProbes(true)));

        assertThat(K1_20.problems(deployment, "io.k8s.api.apps.v1.Deployment")).containsExactly(
                "io.k8s.api.apps.v1.Deployment.spec.template.spec.containers[0].livenessProbe.grpc: unknown field",
                "io.k8s.api.apps.v1.Deployment.spec.template.spec.containers[0].readinessProbe.grpc: unknown field",
                "io.k8s.api.apps.v1.Deployment.spec.template.spec.containers[0].startupProbe.grpc: unknown field");
    }

    @Test
    void unprunedModels_carryFieldsKubernetes1_20DoesNotKnow() {
        String container = JSON.serialize(new V1Container().name("c").image("i"));

        assertThat(K1_20.problems(container, "io.k8s.api.core.v1.Container"))
                .contains("io.k8s.api.core.v1.Container.resizePolicy: unknown field");
        assertThat(K1_20.problems(JSON.serialize(EmptyCollections.prune(new V1Container().name("c").image("i"))),
                "io.k8s.api.core.v1.Container")).isEmpty();
        assertThat(K1_20.problems("{\"name\":7}", "io.k8s.api.core.v1.Container"))
                .containsExactly("io.k8s.api.core.v1.Container.name: expected a string, got 7");
    }

    @Test
    void everyObject_serializesToJsonThatParsesBackIntoTheSameModel() throws IOException {
        for (KubernetesSettings settings : List.of(SETTINGS, SETTINGS.withGrpcProbes(true))) {
            V1Deployment d = DeploymentSpecs.deployment(DeploymentSpecsTest.GPU_FUNCTION, settings);
            V1Service s = DeploymentSpecs.service(DeploymentSpecsTest.GPU_FUNCTION, settings);

            // fromJson checks required fields and refuses fields the API's schema does not know.
            assertThat(EmptyCollections.prune(V1Deployment.fromJson(JSON.serialize(d)))).isEqualTo(d);
            assertThat(EmptyCollections.prune(V1Service.fromJson(JSON.serialize(s)))).isEqualTo(s);
            assertThat(JSON.serialize(d))
                    .contains("\"nvidia.com/gpu\":\"1\"", "\"memory\":\"4Gi\"", "\"cpu\":\"500m\"");
        }
        var scale = DeploymentSpecs.scale("classify", SETTINGS, 0);
        assertThat(EmptyCollections.prune(V1Scale.fromJson(JSON.serialize(scale)))).isEqualTo(scale);
    }
}
