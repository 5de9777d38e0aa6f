package io.dcf.e2e;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.util.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real cluster the e2e tests run on (../shared/kube/README.md): its API server through the
 * kubeconfig ({@code KUBECONFIG}, else /tmp/kube/kubeconfig), a Ready node, and its registry on
 * 127.0.0.1:5000. Checked once per JVM; when anything is missing every e2e test fails with
 * what to run. Never a skip.
 */
final class Cluster {

    /** The cluster's registry (plain HTTP; containerd pulls it as such). */
    static final String REGISTRY = "127.0.0.1:5000";
    private static final Path DEFAULT_KUBECONFIG = Path.of("/tmp/kube/kubeconfig");
    private static final String HOW = """
            The e2e tests (-Pe2e) need the one-node Kubernetes cluster and its registry on 127.0.0.1:5000 \
            (../shared/kube/README.md):
                KUBE_HOME=/tmp/kube ../shared/kube/setup.sh        # once per machine, ~12 min
                KUBE_HOME=/tmp/kube ../shared/kube/node-setup.sh   # once per machine
                KUBE_HOME=/tmp/kube ../shared/kube/node-start.sh   # starts it, ~25 s
                export KUBECONFIG=/tmp/kube/kubeconfig
            then ./mvnw verify -Pe2e.""";

    private static Cluster instance;
    private static IllegalStateException failure;

    private final ApiClient api;
    private final String version;

    private Cluster(ApiClient api, String version) {
        this.api = api;
        this.version = version;
    }

    /** The cluster, checked once per JVM; fails (every time it is asked) with what to run. */
    static synchronized Cluster get() {
        if (instance == null && failure == null) {
            try {
                instance = connect();
            } catch (Exception e) {
                failure = new IllegalStateException(HOW + "\nWhat is missing: " + e.getMessage(), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return instance;
    }

    ApiClient api() {
        return api;
    }

    CoreV1Api core() {
        return new CoreV1Api(api);
    }

    /** The API server's version, e.g. v1.20.2. */
    String version() {
        return version;
    }

    private static Cluster connect() throws Exception {
        Path kubeconfig = kubeconfig();
        ApiClient api = Config.fromConfig(kubeconfig.toString());
        api.setConnectTimeout(10_000);
        api.setReadTimeout(30_000);
        api.setWriteTimeout(30_000);
        String version;
        try {
            version = new VersionApi(api).getCode().execute().getGitVersion();
        } catch (Exception e) {
            throw new IllegalStateException("the API server of " + kubeconfig + " (" + api.getBasePath()
                    + ") does not answer: " + e.getMessage(), e);
        }
        List<V1Node> nodes = new CoreV1Api(api).listNode().execute().getItems();
        boolean ready = nodes.stream().anyMatch(Cluster::isReady);
        if (!ready) {
            throw new IllegalStateException("no node is Ready (" + nodes.size() + " nodes): start the node");
        }
        checkRegistry();
        return new Cluster(api, version);
    }

    /** The kubeconfig the tests use: {@code KUBECONFIG}'s first file, else /tmp/kube/kubeconfig. */
    static Path kubeconfig() {
        String env = System.getenv("KUBECONFIG");
        Path path = env != null && !env.isBlank() ? Path.of(env.split(":")[0]) : DEFAULT_KUBECONFIG;
        if (!Files.isReadable(path)) {
            throw new IllegalStateException("no kubeconfig at " + path
                    + (env == null ? " (KUBECONFIG is not set)" : " (from KUBECONFIG)"));
        }
        return path;
    }

    private static boolean isReady(V1Node node) {
        List<V1NodeCondition> conditions = node.getStatus() == null ? null : node.getStatus().getConditions();
        return conditions != null && conditions.stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void checkRegistry() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the registry at " + REGISTRY + " answers HTTP " + response.statusCode());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no registry at http://" + REGISTRY + "/v2/: " + e, e);
        }
    }
}
