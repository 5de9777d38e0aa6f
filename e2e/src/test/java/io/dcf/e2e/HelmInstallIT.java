package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.grpc.StatusRuntimeException;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1Service;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code helm install} of helm/dcf (real Helm through helm-java, OpenAPI validation on) into fresh
 * namespaces of the real cluster, with the gateway image that {@code -Pimages} builds; then, from
 * the host through the gateway's Service: health and info, a Java function deployed from its image
 * and called, {@code helm upgrade} keeping the token, {@code helm uninstall} removing the function
 * namespace. The steps run in order and share the release; every namespace goes in {@link #cleanUp()}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmInstallIT {

    private static final System.Logger LOG = System.getLogger(HelmInstallIT.class.getName());
    private static final String RELEASE = "dcf";
    private static final String GATEWAY = "dcf-gateway";
    private static final int PORT = 31113;
    private static final int HELM_TIMEOUT_SECONDS = 300;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String NAMESPACE = "dcf-e2e-helm-" + SUFFIX;
    private static final String FUNCTIONS = "dcf-e2e-fn-" + SUFFIX;
    private static final String PROJECT_VERSION = System.getProperty("dcf.e2e.project-version", "");
    private static final Path CHART = Path.of(System.getProperty("dcf.e2e.chart-dir", "../helm/dcf"));

    private static Cluster cluster;
    private static CoreV1Api core;
    private static String image;
    private static Path values;
    private static ApiServerRelay relay;
    private static ServiceGateway gateway;
    private static String token;

    @BeforeAll
    static void imageAndValues() throws Exception {
        cluster = Cluster.get();
        core = cluster.core();
        long start = System.nanoTime();
        image = E2eImages.gateway();
        LOG.log(Level.INFO, "gateway image {0} built and pushed in {1} s", image, seconds(start));
        relay = needsRelay() ? ApiServerRelay.start(cluster.api().getBasePath()) : null;
        values = Files.createDirectories(Path.of(System.getProperty("dcf.e2e.work-dir", "target/e2e")))
                .resolve("helm-values-" + SUFFIX + ".yaml");
        Files.writeString(values, values(List.of()));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (cluster == null) {
            return;
        }
        try {
            helm().uninstall(RELEASE).withNamespace(NAMESPACE).withKubeConfig(Cluster.kubeconfig()).ignoreNotFound()
                    .call();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "helm uninstall {0} -n {1}: {2}", RELEASE, NAMESPACE, e.getMessage());
        }
        for (String namespace : List.of(FUNCTIONS, NAMESPACE)) {
            try {
                core.deleteNamespace(namespace).execute();
            } catch (ApiException e) {
                if (e.getCode() != 404) {
                    LOG.log(Level.WARNING, "cannot delete namespace {0}: {1}", namespace, e.getResponseBody());
                }
            }
        }
    }

    @Test
    @Order(1)
    void install_waitsForTheGatewayPod_runningThePushedImage() throws Exception {
        long start = System.nanoTime();
        Release release = withReport(() -> helm().install().withName(RELEASE).withNamespace(NAMESPACE)
                .createNamespace().withKubeConfig(Cluster.kubeconfig()).withValuesFile(values)
                .waitReady().withTimeout(HELM_TIMEOUT_SECONDS).call());
        LOG.log(Level.INFO, "helm install --wait took {0} s", seconds(start));

        assertThat(release.getStatus()).isEqualTo("deployed");
        V1Pod pod = gatewayPod();
        assertThat(pod.getStatus().getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getReady()).isTrue();
            assertThat(c.getRestartCount()).isZero();
            assertThat(c.getImageID()).as("the image -Pimages pushed").endsWith(image.substring(image.indexOf('@')));
        });
        V1PodCondition ready = pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .findFirst().orElseThrow();
        LOG.log(Level.INFO, "gateway pod {0} Ready {1} s after it was created", pod.getMetadata().getName(),
                Duration.between(pod.getMetadata().getCreationTimestamp(), ready.getLastTransitionTime()).toSeconds());
        token = new String(core.readNamespacedSecret("dcf-token", NAMESPACE).execute().getData().get("token"),
                StandardCharsets.UTF_8);
        V1Service service = core.readNamespacedService(GATEWAY, NAMESPACE).execute();
        gateway = new ServiceGateway(service.getSpec().getClusterIP(), PORT, GATEWAY + "." + NAMESPACE + ".svc", token);
    }

    @Test
    @Order(2)
    void service_answersHealthAndInfo_withTheProjectVersion_andNoTokenFileWarning() throws Exception {
        assertThat(gateway).as("the install step").isNotNull();

        HttpResponse<String> health = gateway.get("/system/health");
        HttpResponse<String> info = gateway.get("/system/info");

        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("OK");
        assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
        assertThat(PROJECT_VERSION).as("dcf.e2e.project-version").isNotBlank();
        assertThat(info.body()).as("the version in the Jib image")
                .containsPattern("\"version\"\\s*:\\s*\"" + Pattern.quote(PROJECT_VERSION) + "\"")
                .containsPattern("\"backend\"\\s*:\\s*\"kubernetes\"");
        String log = core.readNamespacedPodLog(gatewayPod().getMetadata().getName(), NAMESPACE).execute();
        assertThat(log).contains("DCF gateway serving HTTP and gRPC").as("the Secret mounted 0440 for the pod's group")
                .doesNotContain("can be read by other users");
        try (ServiceGateway elsewhere = gateway.as("somewhere.example")) {
            assertThat(elsewhere.get("/system/health").statusCode()).as("a host name the chart does not allow")
                    .isEqualTo(403);
        }
    }

    @Test
    @Order(3)
    void javaFunction_deployedThroughTheService_isCalledThroughIt() throws Exception {
        assertThat(gateway).as("the install step").isNotNull();
        FunctionSpec spec = FunctionSpec.newBuilder().setName("echo").setRuntime("java").setImage(E2eImages.javaEcho())
                .setHandler(HandlerRef.newBuilder().setName("Handler")).build();

        long start = System.nanoTime();
        withReport(() -> {
            gateway.grpc(HELM_TIMEOUT_SECONDS).deploy(DeployRequest.newBuilder().setSpec(spec).build());
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                    gateway.grpc(30).get(GetRequest.newBuilder().setName("echo").build()).getReadyReplicas())
                    .isEqualTo(1));
            return null;
        });
        LOG.log(Level.INFO, "echo deployed and ready in {0} s", seconds(start));
        HttpResponse<String> reply = gateway.post("/function/echo", "hello through the chart", "text/plain");

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("hello through the chart");
        assertThat(core.listNamespacedPod(FUNCTIONS).labelSelector("app.kubernetes.io/name=echo").execute().getItems())
                .as("the function runs in the chart's function namespace").hasSize(1);
    }

    @Test
    @Order(4)
    void upgrade_keepsTheToken_andServesANewAllowedHost() throws Exception {
        assertThat(gateway).as("the install step").isNotNull();
        String clusterIp = core.readNamespacedService(GATEWAY, NAMESPACE).execute().getSpec().getClusterIP();
        Files.writeString(values, values(List.of(clusterIp)));

        long start = System.nanoTime();
        Release release = withReport(() -> helm().upgrade().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeConfig(Cluster.kubeconfig()).withValuesFile(values)
                .waitReady().withTimeout(HELM_TIMEOUT_SECONDS).call());
        LOG.log(Level.INFO, "helm upgrade --wait (a new gateway pod) took {0} s", seconds(start));

        assertThat(release.getRevision()).isEqualTo("2");
        assertThat(new String(core.readNamespacedSecret("dcf-token", NAMESPACE).execute().getData().get("token"),
                StandardCharsets.UTF_8)).as("the token after helm upgrade").isEqualTo(token);
        try (ServiceGateway byIp = gateway.as(clusterIp)) {
            // helm --wait returns once the new pod is Ready; the old one may still be shutting down and
            // kube-proxy may still route a connection to it for a moment, so a refused connect is retried.
            await().atMost(Duration.ofMinutes(2)).ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(() -> assertThat(byIp.get("/system/functions").statusCode())
                            .as("the old token, the new host").isEqualTo(200));
            // the gRPC channel's connection may have gone to the old pod: a closed connection is retried too
            await().atMost(Duration.ofMinutes(1)).ignoreExceptionsInstanceOf(StatusRuntimeException.class)
                    .untilAsserted(() -> assertThat(gateway.grpc(30).get(GetRequest.newBuilder().setName("echo")
                            .build()).getReadyReplicas()).as("a new gateway leaves functions running").isEqualTo(1));
            await().atMost(Duration.ofMinutes(1)).ignoreExceptionsInstanceOf(IOException.class)
                    .untilAsserted(() -> assertThat(byIp.post("/function/echo", "after the upgrade", "text/plain")
                            .body()).isEqualTo("after the upgrade"));
        }
    }

    @Test
    @Order(5)
    void uninstall_removesTheFunctionNamespace() throws Exception {
        assertThat(gateway).as("the install step").isNotNull();

        helm().uninstall(RELEASE).withNamespace(NAMESPACE).withKubeConfig(Cluster.kubeconfig()).call();

        long start = System.nanoTime();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .until(() -> status(() -> core.readNamespace(FUNCTIONS).execute()) == 404);
        LOG.log(Level.INFO, "function namespace gone {0} s after helm uninstall", seconds(start));
        assertThat(status(() -> core.readNamespacedService(GATEWAY, NAMESPACE).execute())).isEqualTo(404);
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    /** Runs {@code step}; when it fails, the failure also says what the release's and functions' pods say. */
    private static <T> T withReport(Step<T> step) {
        try {
            return step.run();
        } catch (Exception | AssertionError e) {
            throw new AssertionError(e.getMessage() + NamespaceReport.of(core, NAMESPACE)
                    + NamespaceReport.of(core, FUNCTIONS), e);
        }
    }

    private static Helm helm() {
        if (!Files.isRegularFile(CHART.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no Chart.yaml in " + CHART.toAbsolutePath() + " (dcf.e2e.chart-dir)");
        }
        return new Helm(CHART);
    }

    /**
     * The release's values: the pushed image by its tag (pulled every time), the fresh function
     * namespace, and on the test cluster the way to its API server through {@link ApiServerRelay}.
     */
    private static String values(List<String> allowedHosts) {
        String repository = image.substring(0, image.indexOf('@'));
        String yaml = """
                image:
                  repository: %s
                  tag: %s
                  pullPolicy: Always
                functionNamespace:
                  name: %s
                gateway:
                  allowedHosts: %s
                """.formatted(repository, E2eImages.GATEWAY_TAG, FUNCTIONS, allowedHosts);
        if (relay == null) {
            return yaml;
        }
        return yaml + """
                  extraEnv:
                    - {name: KUBERNETES_SERVICE_HOST, value: %s}
                    - {name: KUBERNETES_SERVICE_PORT, value: "%d"}
                hostAliases:
                  - {ip: %s, hostnames: [%s]}
                """.formatted(ApiServerRelay.API_SERVER_NAME, relay.port(), ApiServerRelay.NODE_BRIDGE_IP,
                ApiServerRelay.API_SERVER_NAME);
    }

    /** True when pods cannot reach the API server: its {@code kubernetes} Service has no endpoints. */
    private static boolean needsRelay() throws ApiException {
        try {
            var subsets = core.readNamespacedEndpoints("kubernetes", "default").execute().getSubsets();
            if (subsets != null && !subsets.isEmpty()) {
                return false;
            }
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        LOG.log(Level.INFO, "the kubernetes Service has no endpoints (an API server on 127.0.0.1 only): "
                + "the gateway pod reaches it through a relay on " + ApiServerRelay.NODE_BRIDGE_IP);
        return true;
    }

    private static V1Pod gatewayPod() throws ApiException {
        List<V1Pod> pods = core.listNamespacedPod(NAMESPACE)
                .labelSelector("app.kubernetes.io/instance=" + RELEASE + ",app.kubernetes.io/component=gateway")
                .execute().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        assertThat(pods).as("gateway pods in " + NAMESPACE).hasSize(1);
        return pods.get(0);
    }

    private interface ApiCall {
        Object call() throws ApiException;
    }

    /** 200 when {@code call} succeeds, else the API server's status code. */
    private static int status(ApiCall call) {
        try {
            call.call();
            return 200;
        } catch (ApiException e) {
            return e.getCode();
        }
    }

    private static long seconds(long startNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }
}
