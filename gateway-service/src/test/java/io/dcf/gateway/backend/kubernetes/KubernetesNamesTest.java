package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The API server's name rules, by examples from k8s.io/apimachinery's validation tests. */
class KubernetesNamesTest {

    @ParameterizedTest(name = "''{0}'' label={1} 1035={2} subdomain={3}")
    @CsvSource({
            "a, true, true, true",
            "fn-1, true, true, true",
            "1fn, true, false, true",
            "a.b, false, false, true",
            "-a, false, false, false",
            "a-, false, false, false",
            "A, false, false, false",
            "a_b, false, false, false",
            "'', false, false, false",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, true, true, true",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false, false, true"})
    void dnsNames(String name, boolean label, boolean dns1035, boolean subdomain) {
        assertThat(KubernetesNames.isDns1123Label(name)).isEqualTo(label);
        assertThat(KubernetesNames.isDns1035Label(name)).isEqualTo(dns1035);
        assertThat(KubernetesNames.isDns1123Subdomain(name)).isEqualTo(subdomain);
    }

    @ParameterizedTest(name = "''{0}'' key={1} value={2}")
    @CsvSource({
            "team, true, true",
            "Team_1.x, true, true",
            "example.com/team, true, false",
            "app.kubernetes.io/name, true, false",
            "Example.com/team, false, false",
            "/team, false, false",
            "example.com/, false, false",
            "a/b/c, false, false",
            "_team, false, false",
            "'a b', false, false",
            "'', false, true"})
    void labelKeysAndValues(String s, boolean key, boolean value) {
        assertThat(KubernetesNames.isQualifiedName(s)).isEqualTo(key);
        assertThat(KubernetesNames.isLabelValue(s)).isEqualTo(value);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"PATH, true", "my.var-1, true", "_X, true", "1X, false", "'MY VAR', false", "A=B, false", "'', false"})
    void envVarNames(String name, boolean valid) {
        assertThat(KubernetesNames.isEnvVarName(name)).isEqualTo(valid);
    }
}
