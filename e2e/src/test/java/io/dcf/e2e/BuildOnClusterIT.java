package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import io.dcf.build.testing.TestBuildService;
import io.dcf.gateway.GatewayApplication;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Source to a running function on the real one-node cluster with no Docker anywhere: the real
 * {@code dcf} CLI (its jar, as a process) runs {@code dcf function create -f config.yaml} against a
 * gateway with the kubernetes backend whose Info names a build-service on this host; the CLI
 * sends examples/hello-java and the python template as tar.gz bundles to build-service, which
 * compiles (Java) and lays them with Jib on the runtimes' bases and pushes them to the cluster's
 * registry (127.0.0.1:5000); the CLI deploys each digest, the kubelet pulls it, and a call answers.
 */
class BuildOnClusterIT {

    private static final System.Logger LOG = System.getLogger(BuildOnClusterIT.class.getName());
    private static final Path ROOT = Path.of(System.getProperty("dcf.e2e.project-root", "..")).toAbsolutePath()
            .normalize();
    private static final Path WORK = Path.of(System.getProperty("dcf.e2e.work-dir", "target/e2e")).toAbsolutePath();
    private static final String TOKEN = "e2e-" + UUID.randomUUID();

    private static String namespace;
    private static TestBuildService builds;
    private static ConfigurableApplicationContext gateway;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Cluster cluster = Cluster.get();
        namespace = "dcf-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        cluster.core().createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
        Path dir = Files.createDirectories(WORK.resolve("build-on-cluster-" + namespace));
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        builds = TestBuildService.start(Files.createDirectories(dir.resolve("builds")), Map.of(
                "dcf.build.token-file", tokenFile.toString(),
                "dcf.build.registry", Cluster.REGISTRY + "/dcf-e2e",
                "dcf.build.jib.java-base", "tar://" + E2eImages.javaBase(),
                "dcf.build.jib.python-base", "tar://" + E2eImages.pythonBase(),
                "dcf.build.jib.insecure-registries", Cluster.REGISTRY));
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--dcf.gateway.port=0",
                "--dcf.gateway.home=" + Files.createDirectories(dir.resolve("home")),
                "--dcf.gateway.backend=kubernetes",
                "--dcf.gateway.kubernetes.namespace=" + namespace,
                "--dcf.gateway.kubernetes.kubeconfig=" + Cluster.kubeconfig(),
                "--dcf.gateway.kubernetes.ready-timeout=180s",
                "--dcf.gateway.auth.token-file=" + tokenFile,
                "--dcf.gateway.build-service.address=127.0.0.1:" + builds.port());
        port = gateway.getBean(Server.class).activeLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (builds != null) {
            builds.close();
        }
        if (namespace != null) {
            Cluster.get().core().deleteNamespace(namespace).execute();
        }
    }

    @Test
    void create_onAKubernetesGateway_buildsPushesAndDeploysEachDigest() throws Exception {
        Path project = Files.createDirectories(WORK.resolve("build-on-cluster-" + namespace + "/project"));
        Files.createDirectories(project.resolve("src-java"));
        Files.copy(ROOT.resolve("examples/hello-java/Handler.java"), project.resolve("src-java/Handler.java"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(project.resolve("src-python"));
        Files.copy(ROOT.resolve("runtimes/python/template/handler.py"), project.resolve("src-python/handler.py"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(project.resolve("config.yaml"), """
                functions:
                  src-java:
                    runtime: java
                    handler: {dir: ./src-java, name: Handler}
                  src-python:
                    runtime: python
                    handler: {dir: ./src-python, name: Handler}
                dcf:
                  gateway: 127.0.0.1:%d
                """.formatted(port));

        long start = System.nanoTime();
        CliProcess.Result create = CliProcess.run(ROOT, project, Map.of("DCF_TOKEN", TOKEN),
                "function", "create", "-f", "config.yaml", "--wait", "--wait-timeout", "180s");
        LOG.log(System.Logger.Level.INFO, "dcf function create (2 builds, 2 deploys) took {0} ms:\n{1}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), create);

        assertThat(create.code()).as(create.toString()).isZero();
        assertThat(create.out()).contains("phase: building", "phase: pushing",
                "Built: src-java -> " + Cluster.REGISTRY + "/dcf-e2e/src-java@sha256:",
                "Built: src-python -> " + Cluster.REGISTRY + "/dcf-e2e/src-python@sha256:",
                "Function src-java is ready.", "Function src-python is ready.");
        for (String fn : List.of("src-java", "src-python")) {
            HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/function/" + fn))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("built on the host, run in the cluster")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(reply.statusCode()).as(fn).isEqualTo(200);
            assertThat(reply.body()).as(fn).isEqualTo("built on the host, run in the cluster");
        }
        String image = new AppsV1Api(Cluster.get().api()).readNamespacedDeployment("src-java", namespace).execute().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage();
        assertThat(image).startsWith(Cluster.REGISTRY + "/dcf-e2e/src-java@sha256:");
    }
}
