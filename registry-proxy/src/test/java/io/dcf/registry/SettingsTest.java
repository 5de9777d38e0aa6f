package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings, credentials files, challenges, paths and Location rewriting: the pure parts. */
class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaults_loopbackPort5000_10GiCache_deadlines() {
        ProxySettings s = ProxySettings.from(Map.of("DCF_PROXY_UPSTREAM", "http://registry:5000/"), new Properties());

        assertThat(s.upstream()).isEqualTo(URI.create("http://registry:5000"));
        assertThat(s.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(5000);
        assertThat(s.cacheMaxBytes()).isEqualTo(10L << 30);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.upstreamTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.credentialsFile()).isEmpty();
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        Properties p = new Properties();
        p.setProperty("dcf.proxy.cache-max-bytes", "512Mi");
        ProxySettings s = ProxySettings.from(Map.of("DCF_PROXY_UPSTREAM", "https://r.example.com",
                "DCF_PROXY_CACHE_MAX_BYTES", "1Gi", "DCF_PROXY_UPSTREAM_TIMEOUT", "PT90S"), p);

        assertThat(s.cacheMaxBytes()).isEqualTo(512L << 20);
        assertThat(s.upstreamTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void badSettings_errorNamesTheVariable() {
        assertBad(Map.of(), "DCF_PROXY_UPSTREAM is not set");
        assertBad(Map.of("DCF_PROXY_UPSTREAM", "registry:5000"), "DCF_PROXY_UPSTREAM: 'registry:5000'");
        assertBad(Map.of("DCF_PROXY_UPSTREAM", "http://r/v2/"), "with no path");
        assertBad(Map.of("DCF_PROXY_UPSTREAM", "http://r", "DCF_PROXY_PORT", "70000"), "DCF_PROXY_PORT: 70000");
        assertBad(Map.of("DCF_PROXY_UPSTREAM", "http://r", "DCF_PROXY_CACHE_MAX_BYTES", "10GB"),
                "DCF_PROXY_CACHE_MAX_BYTES: '10GB'");
        assertBad(Map.of("DCF_PROXY_UPSTREAM", "http://r", "DCF_PROXY_UPSTREAM_TIMEOUT", "0s"),
                "DCF_PROXY_UPSTREAM_TIMEOUT: '0s' (expected: > 0");
        assertBad(Map.of("DCF_PROXY_UPSTREAM", "http://r", "DCF_PROXY_CREDENTIALS_FILE", "/nonexistent/config.json"),
                "DCF_PROXY_CREDENTIALS_FILE: /nonexistent/config.json is not a readable file");
    }

    @Test
    void credentials_fromUsernamePasswordOrAuth_matchedByHost_passwordNeverPrinted() throws Exception {
        String auth = Base64.getEncoder().encodeToString("robot:s3cret".getBytes(StandardCharsets.UTF_8));
        Path file = Files.writeString(dir.resolve("config.json"), "{\"auths\":{"
                + "\"https://other:5000/v1/\":{\"username\":\"x\",\"password\":\"y\"},"
                + "\"registry:5000\":{\"auth\":\"" + auth + "\"}}}");

        RegistryCredentials c = RegistryCredentials.read(file, URI.create("http://registry:5000"));

        assertThat(c).isEqualTo(new RegistryCredentials("robot", "s3cret"));
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.basic()).isEqualTo("Basic " + auth);
        assertThat(RegistryCredentials.read(file, URI.create("http://other:5000")).username()).isEqualTo("x");
        assertThatThrownBy(() -> RegistryCredentials.read(file, URI.create("http://third")))
                .hasMessageContaining("DCF_PROXY_CREDENTIALS_FILE " + file + ": no entry for third in auths")
                .hasMessageContaining("registry:5000");
    }

    @Test
    void challenge_bearerWithParams_basic_none() {
        Challenge bearer = Challenge.parse(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:fn:pull\"");
        assertThat(bearer.isBearer()).isTrue();
        assertThat(bearer.param("realm")).isEqualTo("https://auth.example.com/token");
        assertThat(bearer.param("service")).isEqualTo("registry.example.com");
        assertThat(bearer.param("scope")).isEqualTo("repository:fn:pull");
        assertThat(Challenge.parse("Basic realm=\"Registry Realm\"").isBasic()).isTrue();
        assertThat(Challenge.parse(null)).isEqualTo(Challenge.NONE);
    }

    @Test
    void v2Path_nameKindReference_cacheKeyOnlyForSha256() {
        V2Path blob = V2Path.parse("/v2/team/fn/blobs/sha256:" + "a".repeat(64));
        assertThat(blob).isEqualTo(new V2Path("team/fn", "blobs", "sha256:" + "a".repeat(64)));
        assertThat(blob.cacheKey()).hasValue("blobs/sha256/" + "a".repeat(64));
        assertThat(blob.scope(false)).isEqualTo("repository:team/fn:pull");
        assertThat(V2Path.parse("/v2/fn/manifests/latest").cacheKey()).isEmpty();
        assertThat(V2Path.parse("/v2/fn/blobs/sha512:" + "a".repeat(128)).cacheKey()).isEmpty();
        assertThat(V2Path.parse("/v2/fn/blobs/uploads/abc?_state=x").kind()).isEqualTo("uploads");
        assertThat(V2Path.parse("/v2/fn/blobs/uploads/").scope(true)).isEqualTo("repository:fn:pull,push");
        assertThat(V2Path.parse("/v2/").name()).isEmpty();
    }

    @Test
    void location_upstreamAbsoluteRewrittenToTheClientsHost_othersKept() {
        assertThat(Locations.rewrite("http://registry:5000/v2/fn/blobs/uploads/u?_state=a%2Bb",
                "registry:5000", "http", "localhost:5001"))
                .isEqualTo("http://localhost:5001/v2/fn/blobs/uploads/u?_state=a%2Bb");
        assertThat(Locations.rewrite("/v2/fn/blobs/uploads/u", "registry:5000", "http", "localhost:5001"))
                .isEqualTo("/v2/fn/blobs/uploads/u");
        assertThat(Locations.rewrite("https://bucket.s3.example.com/blob?sig=1", "registry:5000", "http", "localhost:5001"))
                .isEqualTo("https://bucket.s3.example.com/blob?sig=1");
        assertThat(Locations.rewrite("http://registry:5000/v2/fn/blobs/x", "registry:5000", "http", null))
                .isEqualTo("/v2/fn/blobs/x");
    }

    private static void assertBad(Map<String, String> env, String message) {
        assertThatThrownBy(() -> ProxySettings.from(env, new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
