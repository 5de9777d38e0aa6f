package io.dcf.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestGuardTest {

    @ParameterizedTest
    @CsvSource({
        "localhost:31113, true", "LOCALHOST, true", "localhost.:80, true", "127.0.0.1:1, true",
        "[::1]:31113, true", "::1, true", "gateway.internal:31113, true", "10.0.0.5:31113, true",
        "evil.example, false", "evil.example:31113, false", "127.0.0.2:31113, false", "localhost.evil.example, false",
        "[::2]:31113, false", "0.0.0.0:31113, false"})
    void allowedHosts_loopbackSpecificBindAndConfigured(String authority, boolean allowed) {
        AllowedHosts hosts = AllowedHosts.of("10.0.0.5", List.of("gateway.internal"));

        assertThat(hosts.allows(authority)).isEqualTo(allowed);
    }

    @Test
    void allowedHosts_wildcardBindIsNoName_starAllowsAny_missingHostIsRefused() {
        assertThat(AllowedHosts.of("0.0.0.0", List.of()).allows("0.0.0.0:31113")).isFalse();
        assertThat(AllowedHosts.of("127.0.0.1", List.of()).allows(null)).isFalse();
        assertThat(AllowedHosts.of("127.0.0.1", List.of("*")).allows("anything.example")).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "http://localhost:31113, localhost:31113, true", "http://LOCALHOST:31113, localhost:31113, true",
        "http://example.com, example.com, true", "https://example.com, example.com:443, true",
        "http://localhost:8080, localhost:31113, false", "https://evil.example, localhost:31113, false",
        "null, localhost:31113, false", "http://[::1]:31113, [::1]:31113, true", "http://127.0.0.1:31113, localhost:31113, false"})
    void sameOrigin_comparesHostAndPort(String origin, String authority, boolean same) {
        assertThat(RequestGuard.sameOrigin(origin, authority)).isEqualTo(same);
    }
}
