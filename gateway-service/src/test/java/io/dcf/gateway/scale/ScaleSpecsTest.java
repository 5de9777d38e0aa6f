package io.dcf.gateway.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.gateway.function.FunctionSpecs;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.ScaleSpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaleSpecsTest {

    private static FunctionSpec spec(ScaleSpec.Builder scale) {
        return FunctionSpec.newBuilder().setName("f").setRuntime("java").setScale(scale).build();
    }

    @Test
    void withoutScale_fixedReplicas_asBefore() {
        FunctionSpec fixed = FunctionSpec.newBuilder().setName("f").setRuntime("java").setReplicas(3).build();
        assertThat(ScaleSpecs.autoscaled(fixed)).isFalse();
        assertThat(ScaleSpecs.restartReplicas(fixed, 3)).isEqualTo(3);
        assertThat(ScaleSpecs.pinned(fixed, 5).getReplicas()).isEqualTo(5);
        assertThat(ScaleSpecs.pinned(fixed, 5).hasScale()).isFalse();
        assertThat(FunctionSpecs.normalize(fixed.toBuilder().setReplicas(0).build(), 64).getReplicas()).isEqualTo(1);
    }

    @Test
    void minZeroWithZeroAfter_scalesToZero_andStartsOneReplicaOnDeploy_andNoneAfterARestart() {
        FunctionSpec s = spec(ScaleSpec.newBuilder().setMin(0).setMax(5).setZeroAfter(Durations.fromSeconds(30)));
        assertThat(ScaleSpecs.autoscaled(s)).isTrue();
        assertThat(ScaleSpecs.floor(s)).isZero();
        assertThat(ScaleSpecs.zeroAfter(s)).contains(Duration.ofSeconds(30));
        assertThat(FunctionSpecs.normalize(s, 64).getReplicas()).isEqualTo(1);
        assertThat(ScaleSpecs.restartReplicas(s, 4)).isZero();
    }

    @Test
    void minZeroWithoutZeroAfter_keepsOneReplica_andMaxUnset_isTheGatewayMaximum() {
        FunctionSpec s = spec(ScaleSpec.newBuilder());
        assertThat(ScaleSpecs.floor(s)).isEqualTo(1);
        assertThat(ScaleSpecs.zeroAfter(s)).isEqualTo(Optional.empty());
        assertThat(ScaleSpecs.ceiling(s, 64)).isEqualTo(64);
        assertThat(ScaleSpecs.target(s, 10)).isEqualTo(10);
        assertThat(ScaleSpecs.target(spec(ScaleSpec.newBuilder().setTargetInflight(3)), 10)).isEqualTo(3);
    }

    @Test
    void maxZero_isPaused_andStartsNothing() {
        FunctionSpec s = spec(ScaleSpec.newBuilder().setMin(0).setMax(0));
        assertThat(ScaleSpecs.paused(s)).isTrue();
        assertThat(ScaleSpecs.floor(s)).isZero();
        assertThat(FunctionSpecs.normalize(s, 64).getReplicas()).isZero();
    }

    @Test
    void pinning_anAutoscaledFunction_setsMinAndMax_zeroPauses() {
        FunctionSpec s = spec(ScaleSpec.newBuilder().setMin(1).setMax(5).setTargetInflight(7));
        FunctionSpec pinned = ScaleSpecs.pinned(s, 3);
        assertThat(pinned.getScale().getMin()).isEqualTo(3);
        assertThat(pinned.getScale().getMax()).isEqualTo(3);
        assertThat(pinned.getScale().getTargetInflight()).isEqualTo(7);
        assertThat(ScaleSpecs.paused(ScaleSpecs.pinned(s, 0))).isTrue();
    }

    @Test
    void replicasAboveMax_areClampedOnDeploy() {
        assertThat(FunctionSpecs.normalize(spec(ScaleSpec.newBuilder().setMin(1).setMax(2)).toBuilder().setReplicas(5)
                .build(), 64).getReplicas()).isEqualTo(2);
    }

    @Test
    void hpaMode_isNotTheGatewaysToScale() {
        FunctionSpec s = spec(ScaleSpec.newBuilder().setMin(1).setMax(4).setMode("hpa"));
        assertThat(ScaleSpecs.autoscaled(s)).isFalse();
        assertThat(ScaleSpecs.hpa(s)).isTrue();
    }

    @Test
    void badValues_areRefusedNamingFunctionAndField() {
        assertRefused(ScaleSpec.newBuilder().setMin(3).setMax(1), "function f: scale.min: 3 is greater than scale.max: 1");
        assertRefused(ScaleSpec.newBuilder().setMin(-1), "function f: scale.min: -1 (expected: 0-64)");
        assertRefused(ScaleSpec.newBuilder().setMax(65), "function f: scale.max: 65 (expected: 0-64)");
        assertRefused(ScaleSpec.newBuilder().setTargetInflight(-2),
                "function f: scale.target_inflight: -2 (expected: > 0, or 0 for the gateway's default)");
        assertRefused(ScaleSpec.newBuilder().setZeroAfter(Durations.fromSeconds(-1)),
                "function f: scale.zero_after: -1s (expected: > 0)");
        assertRefused(ScaleSpec.newBuilder().setMode("keda"),
                "function f: scale.mode: 'keda' (expected one of: gateway, hpa)");
        assertRefused(ScaleSpec.newBuilder().setMin(1).setMode("hpa"), "function f: scale.max: unset with mode hpa"
                + " (expected: the HorizontalPodAutoscaler's maxReplicas, >= 1)");
        assertRefused(ScaleSpec.newBuilder().setMin(0).setMax(3).setMode("hpa"), "function f: scale.min: 0, scale.max: 3"
                + " with mode hpa (expected: >= 1: a HorizontalPodAutoscaler neither scales to zero nor pauses)");
    }

    private static void assertRefused(ScaleSpec.Builder scale, String message) {
        assertThatThrownBy(() -> FunctionSpecs.normalize(spec(scale), 64))
                .isInstanceOf(InvalidFunctionSpecException.class).hasMessage(message);
    }
}
