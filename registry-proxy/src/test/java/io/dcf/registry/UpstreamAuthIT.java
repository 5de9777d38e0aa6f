package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcf.images.FunctionImages;
import io.dcf.images.JavaFunction;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Registries that want credentials (real docker-registry: htpasswd Basic, or token auth with
 * {@link TokenRealm}): a proxy with a credentials file answers for clients that have none; a proxy
 * without one passes the challenge through and never caches what an authorized client fetched.
 */
class UpstreamAuthIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void basicAuthRegistry_proxyWithCredentials_clientsWithoutAny_pushAndPull() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "robot:" + BCrypt.hashpw("s3cret", BCrypt.gensalt(4)) + "\n");
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")), List.of(
                "auth:", "  htpasswd:", "    realm: dcf-test", "    path: " + htpasswd));
                RegistryProxy proxy = TestProxies.start(registry.host(), dir.resolve("cache"), "1Gi",
                        "credentials-file", credentials(registry.host(), "robot", "s3cret").toString())) {
            assertThat(Http.get("http://" + registry.host() + "/v2/").statusCode()).as("the registry wants auth").isEqualTo(401);
            String host = "127.0.0.1:" + proxy.port();

            Path classes = Files.createDirectories(dir.resolve("classes"));
            Images.write(classes.resolve("Handler.class"), "not really a class");
            String base = "tar://" + Images.tinyBase(Files.createDirectories(dir.resolve("base")));
            Images.push(FunctionImages.java(base, JavaFunction.of(classes)), host, "fn/basic:1", dir.resolve("jib"));
            PushedImage image = new PushedImage(host, "fn/basic", "1");

            assertThat(image.layer(1)).containsKey("/dcf/function/classes/Handler.class");
            String config = image.manifest.path("config").path("digest").asText();
            assertThat(Http.sha256(Http.get("http://" + host + "/v2/fn/basic/blobs/" + config).body())).isEqualTo(config);
        }
    }

    @Test
    void tokenAuthRegistry_proxyFetchesTokensFromTheRealm_perRepositoryScope() throws Exception {
        try (TokenRealm realm = new TokenRealm(Files.createDirectories(dir.resolve("realm")), "robot", "s3cret");
                LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")),
                        realm.registryConfig());
                RegistryProxy proxy = TestProxies.start(registry.host(), dir.resolve("cache"), "1Gi",
                        "credentials-file", credentials(registry.host(), "robot", "s3cret").toString())) {
            HttpResponse<byte[]> challenged = Http.get("http://" + registry.host() + "/v2/fn/token/blobs/sha256:" + "0".repeat(64));
            assertThat(challenged.statusCode()).isEqualTo(401);
            assertThat(challenged.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).startsWith("Bearer realm="));
            String host = "127.0.0.1:" + proxy.port();

            byte[] bytes = "a layer behind token auth".getBytes(StandardCharsets.UTF_8);
            String digest = Http.pushBlob(host, "fn/token", bytes);
            HttpResponse<byte[]> pulled = Http.get("http://" + host + "/v2/fn/token/blobs/" + digest);

            assertThat(pulled.statusCode()).isEqualTo(200);
            assertThat(pulled.body()).isEqualTo(bytes);
            assertThat(realm.requests).contains("robot [repository:fn/token:pull,push]", "robot [repository:fn/token:pull]")
                    .noneMatch(r -> r.startsWith("refused"));
        }
    }

    @Test
    void tokenAuthRegistry_wrongPassword_502NamingTheRealm_noSecretInTheAnswer() throws Exception {
        try (TokenRealm realm = new TokenRealm(Files.createDirectories(dir.resolve("realm")), "robot", "s3cret");
                LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")),
                        realm.registryConfig());
                RegistryProxy proxy = TestProxies.start(registry.host(), dir.resolve("cache"), "1Gi",
                        "credentials-file", credentials(registry.host(), "robot", "wrong-pass").toString())) {
            HttpResponse<byte[]> r = Http.get("http://127.0.0.1:" + proxy.port() + "/v2/fn/token/manifests/latest");

            assertThat(r.statusCode()).isEqualTo(502);
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(JSON.readTree(body).path("errors").get(0).path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(body).contains("/token").contains("401").contains("robot").doesNotContain("wrong-pass");
            assertThat(realm.requests).anyMatch(req -> req.startsWith("refused"));
        }
    }

    @Test
    void proxyWithoutCredentials_challengePassesThrough_authorizedPullsBypassTheCache() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "robot:" + BCrypt.hashpw("s3cret", BCrypt.gensalt(4)) + "\n");
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")), List.of(
                "auth:", "  htpasswd:", "    realm: dcf-test", "    path: " + htpasswd));
                RegistryProxy proxy = TestProxies.start(registry.host(), dir.resolve("cache"), "1Gi")) {
            String host = "127.0.0.1:" + proxy.port();
            String basic = "Basic " + Base64.getEncoder().encodeToString("robot:s3cret".getBytes(StandardCharsets.UTF_8));
            byte[] bytes = "private layer".getBytes(StandardCharsets.UTF_8);
            String digest = Http.pushBlob(registry.host(), "fn/private", bytes, basic);

            HttpResponse<byte[]> anonymous = Http.get("http://" + host + "/v2/fn/private/blobs/" + digest);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"dcf-test\"");
            for (int i = 0; i < 2; i++) {
                HttpResponse<byte[]> authorized = Http.get("http://" + host + "/v2/fn/private/blobs/" + digest,
                        "Authorization", basic);
                assertThat(authorized.statusCode()).isEqualTo(200);
                assertThat(authorized.body()).isEqualTo(bytes);
            }
            assertThat(Http.get("http://" + host + "/v2/fn/private/blobs/" + digest).statusCode())
                    .as("nothing cached for anonymous clients").isEqualTo(401);
            assertThat(RegistryProxyIT.metric(host, "dcf_registry_proxy_cache_entries")).isZero();
        }
    }

    private Path credentials(String registryHost, String user, String password) throws Exception {
        return Files.writeString(dir.resolve("config-" + user + "-" + password + ".json"),
                "{\"auths\":{\"" + registryHost + "\":{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}}}");
    }
}
