package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.proto.v1.Resources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KubernetesSettingsTest {

    @ParameterizedTest(name = "{0}.{1} -> {2}")
    @CsvSource({
            "1, 20, false", "1, 20+, false", "1, 23, false", "1, 24, true", "1, 27+, true", "1, 30, true",
            "2, 0, true", "'', 30, false", "v1, 30, false", "1, '', false", "1, 99999999999, false"})
    void grpcProbesSupported_fromTheApiServersVersion(String major, String minor, boolean supported) {
        assertThat(KubernetesSettings.grpcProbesSupported(major, minor)).isEqualTo(supported);
    }

    @Test
    void grpcProbesSupported_nullVersion_isFalse() {
        assertThat(KubernetesSettings.grpcProbesSupported(null, null)).isFalse();
    }

    @Test
    void defaults() {
        KubernetesSettings s = KubernetesSettings.defaults("dcf-fn");

        assertThat(s.namespace()).isEqualTo("dcf-fn");
        assertThat(s.grpcProbes()).isFalse();
        assertThat(s.withGrpcProbes(true).grpcProbes()).isTrue();
        assertThat(s.imagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void invalidSettings_areRefusedNamingTheSetting() {
        assertThatThrownBy(() -> KubernetesSettings.defaults("Fn_Space"))
                .hasMessage("namespace: 'Fn_Space' (expected: a DNS-1123 label)");
        assertThatThrownBy(() -> settings("Sometimes", List.of(), Resources.getDefaultInstance()))
                .hasMessage("imagePullPolicy: 'Sometimes' (expected one of: Always, IfNotPresent, Never)");
        assertThatThrownBy(() -> settings("Always", List.of("Reg Cred"), Resources.getDefaultInstance()))
                .hasMessageStartingWith("imagePullSecrets: 'Reg Cred' (expected: a DNS-1123 subdomain");
        assertThatThrownBy(() -> settings("Always", List.of(), Resources.newBuilder().setMemory("1GB").build()))
                .hasMessage("defaultLimits.memory: '1GB' (expected: a Kubernetes quantity, such as 500m or 512Mi)");
        assertThatThrownBy(() -> settings("Always", List.of(), Resources.newBuilder().setGpu("1").build()))
                .hasMessageStartingWith("defaultLimits.gpu: '1' (expected: empty");
    }

    @Test
    void defaultResources_fillWhatTheSpecLeavesEmpty_andADefaultRequestGivesWayToTheFunctionsLimit() {
        KubernetesSettings s = new KubernetesSettings("dcf-fn", Duration.ofSeconds(30), 64, Duration.ofSeconds(10),
                1 << 20, List.of(), "Always", false, Resources.newBuilder().setCpu("100m").setMemory("256Mi").build(),
                Resources.newBuilder().setMemory("512Mi").build());

        var plain = ResourceSpecs.resources(TestSpecs.spec("{name: fn, image: img}"), s);
        var small = ResourceSpecs.resources(TestSpecs.spec("{name: fn, image: img, limits: {memory: 128Mi}}"), s);

        assertThat(plain.getLimits()).containsOnlyKeys("memory");
        assertThat(plain.getLimits().get("memory").toSuffixedString()).isEqualTo("512Mi");
        assertThat(plain.getRequests().get("cpu").toSuffixedString()).isEqualTo("100m");
        assertThat(plain.getRequests().get("memory").toSuffixedString()).isEqualTo("256Mi");
        assertThat(small.getLimits().get("memory").toSuffixedString()).isEqualTo("128Mi");
        assertThat(small.getRequests().get("memory").toSuffixedString()).isEqualTo("128Mi");
    }

    private static KubernetesSettings settings(String pullPolicy, List<String> pullSecrets, Resources limits) {
        return new KubernetesSettings("dcf-fn", Duration.ofSeconds(30), 64, Duration.ofSeconds(10), 1 << 20,
                pullSecrets, pullPolicy, false, Resources.getDefaultInstance(), limits);
    }
}
