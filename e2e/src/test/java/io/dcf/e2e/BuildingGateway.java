package io.dcf.e2e;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.Server;
import io.dcf.build.testing.TestBuildService;
import io.dcf.gateway.GatewayApplication;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Source to a running function with no Docker anywhere, as users set it up: build-service on this
 * host (its own wiring, Jib with the runtimes' bases from {@link E2eImages}, pushing to a given
 * registry) and a gateway in this JVM with the kubernetes backend on one namespace of the real
 * cluster, whose Info names that build-service, so the real {@code dcf} CLI builds there and
 * deploys each digest. {@link #close()} stops both; the namespace stays the caller's.
 */
final class BuildingGateway implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("dcf.e2e.project-root", "..")).toAbsolutePath()
            .normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String namespace;
    private final Path dir;
    private final String token;
    private final TestBuildService builds;
    private final ConfigurableApplicationContext gateway;

    private BuildingGateway(String namespace, Path dir, String token, TestBuildService builds,
            ConfigurableApplicationContext gateway) {
        this.namespace = namespace;
        this.dir = dir;
        this.token = token;
        this.builds = builds;
        this.gateway = gateway;
    }

    /**
     * Starts build-service pushing to {@code registry} ({@code host:port}, plain HTTP, images named
     * {@code <registry>/dcf-e2e/<function>}) and the gateway deploying into {@code namespace}.
     */
    static BuildingGateway start(String namespace, String registry, Path dir) throws Exception {
        requireNonNull(namespace, "namespace");
        requireNonNull(registry, "registry");
        String token = "e2e-" + UUID.randomUUID();
        Files.createDirectories(dir);
        Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
        TestBuildService builds = TestBuildService.start(Files.createDirectories(dir.resolve("builds")), Map.of(
                "dcf.build.token-file", tokenFile.toString(),
                "dcf.build.registry", registry + "/dcf-e2e",
                "dcf.build.jib.java-base", "tar://" + E2eImages.javaBase(),
                "dcf.build.jib.python-base", "tar://" + E2eImages.pythonBase(),
                "dcf.build.jib.insecure-registries", registry));
        try {
            List<String> args = new ArrayList<>(KubernetesGateway.backendSettings(namespace,
                    Files.createDirectories(dir.resolve("home"))));
            args.add("--dcf.gateway.auth.token-file=" + tokenFile);
            args.add("--dcf.gateway.build-service.address=127.0.0.1:" + builds.port());
            ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class)
                    .run(args.toArray(String[]::new));
            return new BuildingGateway(namespace, dir, token, builds, gateway);
        } catch (RuntimeException e) {
            builds.close();
            throw e;
        }
    }

    int port() {
        return gateway.getBean(Server.class).activeLocalPort();
    }

    /**
     * A project with two functions on this gateway: {@code javaName} (examples/hello-java) and
     * {@code pythonName} (the python template's handler), both echoes. A non-null {@code marker} is
     * written as {@code marker.txt} beside each handler, which makes each function's layer one no
     * registry or node has seen yet.
     */
    Path echoProject(String javaName, String pythonName, String marker) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path java = Files.createDirectories(project.resolve(javaName));
        Files.copy(ROOT.resolve("examples/hello-java/Handler.java"), java.resolve("Handler.java"),
                StandardCopyOption.REPLACE_EXISTING);
        Path python = Files.createDirectories(project.resolve(pythonName));
        Files.copy(ROOT.resolve("runtimes/python/template/handler.py"), python.resolve("handler.py"),
                StandardCopyOption.REPLACE_EXISTING);
        if (marker != null) {
            Files.writeString(java.resolve("marker.txt"), marker + "\n");
            Files.writeString(python.resolve("marker.txt"), marker + "\n");
        }
        Files.writeString(project.resolve("config.yaml"), """
                functions:
                  %1$s:
                    runtime: java
                    handler: {dir: ./%1$s, name: Handler}
                  %2$s:
                    runtime: python
                    handler: {dir: ./%2$s, name: Handler}
                dcf:
                  gateway: 127.0.0.1:%3$d
                """.formatted(javaName, pythonName, port()));
        return project;
    }

    /** The real CLI: {@code dcf function create -f config.yaml --wait} in {@code project}, with this gateway's token. */
    CliProcess.Result create(Path project) throws Exception {
        return CliProcess.run(ROOT, project, Map.of("DCF_TOKEN", token),
                "function", "create", "-f", "config.yaml", "--wait", "--wait-timeout", "180s");
    }

    /** {@code POST /function/<name>} on the gateway with a text body. */
    HttpResponse<String> call(String function, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/function/" + function))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The image of the function's Deployment, as the gateway wrote it. */
    String deployedImage(String function) throws Exception {
        return new AppsV1Api(Cluster.get().api()).readNamespacedDeployment(function, namespace).execute().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            builds.close();
        }
    }
}
