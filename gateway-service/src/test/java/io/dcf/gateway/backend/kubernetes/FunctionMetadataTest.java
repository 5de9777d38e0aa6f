package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.TestSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the gateway reads back from its objects, and what it derives from a spec besides the objects. */
class FunctionMetadataTest {

    @Test
    void specAnnotation_givesTheDeployedSpecBack() {
        V1Deployment d = DeploymentSpecs.deployment(DeploymentSpecsTest.GPU_FUNCTION,
                KubernetesSettings.defaults("dcf-fn"));

        assertThat(FunctionMetadata.spec(d.getMetadata())).contains(DeploymentSpecsTest.GPU_FUNCTION);
        assertThat(FunctionMetadata.spec(new V1ObjectMeta()
                .putAnnotationsItem("dcf.io/spec", "{not json"))).isEmpty();
        assertThat(FunctionMetadata.spec(new V1ObjectMeta()
                .putAnnotationsItem("dcf.io/spec", "{\"name\":\"x\",\"fieldOfANewerGateway\":1}")))
                .contains(FunctionSpec.newBuilder().setName("x").build());
        assertThat(FunctionMetadata.generation(new V1ObjectMeta()
                .putAnnotationsItem("dcf.io/generation", "x"))).isZero();
    }

    @Test
    void labels_onTheTemplateAreACopy_soChangingTheDeploymentsCannotBreakItsSelector() {
        V1Deployment d = DeploymentSpecs.deployment(spec("{name: fn, image: img}"), KubernetesSettings.defaults("ns"));

        d.getMetadata().getLabels().remove("app.kubernetes.io/name");

        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void terminationGracePeriod_isTimeoutPlusDrainPlusMargin_roundedUpToWholeSeconds() {
        KubernetesSettings settings = KubernetesSettings.defaults("ns");

        assertThat(DeploymentSpecs.terminationGracePeriod(spec("{name: fn, timeout: 1.5s}"), settings))
                .isEqualTo(Duration.ofSeconds(17));
        assertThat(DeploymentSpecs.terminationGracePeriod(spec("{name: fn}"), settings))
                .as("the gateway's default timeout, 30 s").isEqualTo(Duration.ofSeconds(45));
    }
}
