package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code helm install} with real Helm against an API-server stand-in (fabric8's mock server in CRUD
 * mode) that answers discovery as Kubernetes 1.19, 1.20 or 1.30 does: Helm builds {@code .Capabilities}
 * from it, and the objects it creates are read back from it. Helm keeps its release record in memory
 * ({@code HELM_DRIVER=memory}, set by the failsafe configuration), so each install is on its own.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChartInstallIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private KubernetesMockServer server;

    @BeforeAll
    static void helmKeepsReleasesInMemory() {
        assertThat(System.getenv("HELM_DRIVER"))
                .as("HELM_DRIVER (set by helm/pom.xml's failsafe configuration): release Secrets in the stand-in "
                        + "would hang Helm, which sends them as protobuf").isEqualTo("memory");
        assertThat(System.getenv("KUBECACHEDIR")).as("KUBECACHEDIR (set by helm/pom.xml's failsafe configuration)")
                .isNotBlank();
    }

    /** A stand-in on a port an earlier one used must not be taken for that one (a cached discovery). */
    @BeforeEach
    void forgetDiscovery() throws IOException {
        Path cache = Path.of(System.getenv("KUBECACHEDIR"));
        if (Files.exists(cache)) {
            try (Stream<Path> files = Files.walk(cache)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void install_onKubernetes120_usesPolicyV1beta1ForTheBudget() throws Exception {
        start(20);

        Release release = install();

        assertThat(release.getStatus()).isEqualTo("deployed");
        assertThat(status("/apis/policy/v1/namespaces/dcf-system/poddisruptionbudgets/dcf-gateway")).isEqualTo(404);
        V1PodDisruptionBudget budget = get("/apis/policy/v1beta1/namespaces/dcf-system/poddisruptionbudgets/dcf-gateway",
                V1PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMaxUnavailable().getIntValue()).isEqualTo(1);
        assertThat(get("/apis/apps/v1/namespaces/dcf-system/deployments/dcf-gateway", V1Deployment.class)
                .getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(get("/apis/rbac.authorization.k8s.io/v1/namespaces/dcf-fn/roles/dcf-gateway", V1Role.class)
                .getRules()).hasSize(8) // the gateway's rules, HorizontalPodAutoscalers (scale.mode hpa) included
                .anySatisfy(rule -> assertThat(rule.getApiGroups()).containsExactly("autoscaling"));
        assertThat(status("/api/v1/namespaces/dcf-fn")).isEqualTo(200);
        V1Secret secret = get("/api/v1/namespaces/dcf-system/secrets/dcf-token", V1Secret.class);
        assertThat(new String(secret.getData().get("token"), StandardCharsets.UTF_8)).matches("[A-Za-z0-9]{43}");
    }

    @Test
    void install_onKubernetes130_usesPolicyV1ForTheBudget() throws Exception {
        start(30);

        install();

        assertThat(status("/apis/policy/v1beta1/namespaces/dcf-system/poddisruptionbudgets/dcf-gateway"))
                .isEqualTo(404);
        assertThat(get("/apis/policy/v1/namespaces/dcf-system/poddisruptionbudgets/dcf-gateway",
                V1PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "gateway");
    }

    @Test
    void install_onKubernetes119_isRefusedByTheChartsKubeVersion() {
        start(19);

        assertThatThrownBy(this::install).hasMessageContaining("kubeVersion")
                .hasMessageContaining(">=1.20.0-0").hasMessageContaining("v1.19.2");
    }

    private void start(int minor) {
        // CRUD mode with expectations (discovery) first: one map shared by the server and its dispatcher.
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init();
        ApiDiscovery.ofMinor(minor).serveOn(server);
    }

    private Release install() {
        return Chart.helm().install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .withKubeConfigContents(kubeConfig()).disableOpenApiValidation().call();
    }

    private String kubeConfig() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: stand-in
                  cluster:
                    server: http://localhost:%d
                users:
                - name: test
                  user:
                    token: test
                contexts:
                - name: stand-in
                  context:
                    cluster: stand-in
                    user: test
                current-context: stand-in
                """.formatted(server.getPort());
    }

    private int status(String path) throws IOException, InterruptedException {
        return send(path).statusCode();
    }

    private <T> T get(String path, Class<T> type) throws IOException, InterruptedException {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return new JSON().deserialize(response.body(), type);
    }

    private HttpResponse<String> send(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
