package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Source to a running function on the real cluster with every image byte going through
 * registry-proxy: the proxy runs as the chart's DaemonSet ({@link ClusterRegistryProxy}, hostNetwork
 * on 127.0.0.1:<port>) in front of the cluster's registry; build-service on this host has the
 * proxy as its registry ({@link BuildingGateway}), so Jib pushes examples/hello-java and the python
 * template through it; the gateway deploys the digests as {@code 127.0.0.1:<port>/dcf-e2e/<fn>@sha256:…},
 * so containerd pulls them through it too. Each function carries a file no registry or node has
 * seen, so its layer and config must be uploaded and pulled: the proxy's counters of received bytes
 * and of blob misses would stay at zero had either side gone straight to the registry, and reading
 * those blobs back is then a cache hit each.
 */
class BuildThroughProxyOnClusterIT {

    private static final System.Logger LOG = System.getLogger(BuildThroughProxyOnClusterIT.class.getName());
    private static final Path WORK = Path.of(System.getProperty("dcf.e2e.work-dir", "target/e2e")).toAbsolutePath();
    private static final String RECEIVED = "dcf_registry_proxy_received_bytes_total";
    private static final String BLOB_MISSES = "dcf_registry_proxy_cache_misses_total{kind=\"blob\"}";
    private static final String BLOB_HITS = "dcf_registry_proxy_cache_hits_total{kind=\"blob\"}";
    private static final String MANIFEST_MISSES = "dcf_registry_proxy_cache_misses_total{kind=\"manifest\"}";
    private static final String MANIFEST_HITS = "dcf_registry_proxy_cache_hits_total{kind=\"manifest\"}";
    private static final List<String> FUNCTIONS = List.of("proxied-java", "proxied-python");

    private static CoreV1Api core;
    private static String namespace;
    private static ClusterRegistryProxy proxy;
    private static BuildingGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        core = Cluster.get().core();
        namespace = "e2e-build-proxy-" + UUID.randomUUID().toString().substring(0, 8);
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
        proxy = ClusterRegistryProxy.start(namespace);
        gateway = BuildingGateway.start(namespace, proxy.address(), WORK.resolve("build-through-proxy-" + namespace));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (namespace != null) {
            core.deleteNamespace(namespace).execute();
        }
    }

    @Test
    void create_buildsPushesAndPullsThroughTheProxy_eachDigestAnswersAndIsCachedByTheProxy() throws Exception {
        String marker = "through registry-proxy " + UUID.randomUUID();
        Path project = gateway.echoProject(FUNCTIONS.get(0), FUNCTIONS.get(1), marker);
        double received = proxy.metric(RECEIVED);
        double blobMisses = proxy.metric(BLOB_MISSES);
        double manifestMisses = proxy.metric(MANIFEST_MISSES);

        long start = System.nanoTime();
        CliProcess.Result create = gateway.create(project);
        LOG.log(System.Logger.Level.INFO, "dcf function create through the proxy (2 builds, 2 deploys) took {0} ms:\n{1}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), create);
        assertThat(create.code()).as(create.toString() + NamespaceReport.of(core, namespace)).isZero();

        Map<String, String> digests = new LinkedHashMap<>();
        for (String fn : FUNCTIONS) {
            String repository = proxy.address() + "/dcf-e2e/" + fn;
            Matcher built = Pattern.compile("Built: " + fn + " -> " + Pattern.quote(repository) + "@(sha256:[0-9a-f]{64})")
                    .matcher(create.out());
            assertThat(built.find()).as("build-service's image of %s names the proxy:\n%s", fn, create).isTrue();
            digests.put(fn, built.group(1));
            assertThat(gateway.deployedImage(fn)).as("%s's Deployment", fn).isEqualTo(repository + "@" + built.group(1));
            assertThat(runningImageIds(fn)).as("%s's pods run the digest%s", fn, NamespaceReport.of(core, namespace))
                    .isNotEmpty().allMatch(id -> id.endsWith("/dcf-e2e/" + fn + "@" + built.group(1)));
            HttpResponse<String> reply = gateway.call(fn, "built and pulled through registry-proxy");
            assertThat(reply.statusCode()).as(fn).isEqualTo(200);
            assertThat(reply.body()).as(fn).isEqualTo("built and pulled through registry-proxy");
        }

        // Each function's own layer (the one with the marker) and its config were new: uploaded through the
        // proxy by Jib, then fetched through it by containerd (misses), which cached them.
        long uploaded = 0;
        Map<String, List<String>> newBlobs = new LinkedHashMap<>();
        double manifestHits = proxy.metric(MANIFEST_HITS);
        for (String fn : FUNCTIONS) {
            JsonNode manifest = proxy.manifest("dcf-e2e/" + fn, digests.get(fn));
            JsonNode layers = manifest.path("layers");
            JsonNode own = layers.get(layers.size() - 1);
            JsonNode config = manifest.path("config");
            uploaded += own.path("size").asLong() + config.path("size").asLong();
            newBlobs.put(fn, List.of(own.path("digest").asText(), config.path("digest").asText()));
        }
        assertThat(proxy.metric(MANIFEST_HITS)).as("the manifests by digest were cached by the kubelet's pulls")
                .isEqualTo(manifestHits + FUNCTIONS.size());
        assertThat(proxy.metric(MANIFEST_MISSES) - manifestMisses).as("manifests fetched by the kubelet through the proxy")
                .isGreaterThanOrEqualTo(FUNCTIONS.size());
        assertThat(proxy.metric(RECEIVED) - received).as("bytes Jib uploaded through the proxy (the new layers and configs"
                + " are %d bytes)", uploaded).isGreaterThanOrEqualTo(uploaded);
        assertThat(proxy.metric(BLOB_MISSES) - blobMisses).as("blobs the kubelet fetched through the proxy")
                .isGreaterThanOrEqualTo(2 * FUNCTIONS.size());

        double blobHits = proxy.metric(BLOB_HITS);
        for (String fn : FUNCTIONS) {
            byte[] layer = proxy.blob("dcf-e2e/" + fn, newBlobs.get(fn).get(0));
            assertThat(gunzip(layer)).as("%s's own layer holds marker.txt", fn).contains(marker);
            proxy.blob("dcf-e2e/" + fn, newBlobs.get(fn).get(1));
        }
        assertThat(proxy.metric(BLOB_HITS)).as("each new layer and config served from the proxy's cache")
                .isEqualTo(blobHits + 2 * FUNCTIONS.size());
        LOG.log(System.Logger.Level.INFO, "proxy: received {0} bytes, blob misses {1}, manifest misses {2}, then hits",
                proxy.metric(RECEIVED) - received, proxy.metric(BLOB_MISSES) - blobMisses,
                proxy.metric(MANIFEST_MISSES) - manifestMisses);
    }

    /** The image IDs (repository digests) the kubelet reports for the running containers named {@code function}. */
    private static List<String> runningImageIds(String function) throws Exception {
        return core.listNamespacedPod(namespace).execute().getItems().stream()
                .map(V1Pod::getStatus)
                .filter(s -> s.getContainerStatuses() != null)
                .flatMap(s -> s.getContainerStatuses().stream())
                .filter(c -> c.getName().equals(function))
                .filter(c -> c.getState() != null && c.getState().getRunning() != null)
                .map(V1ContainerStatus::getImageID)
                .toList();
    }

    /** The layer's tar, as text: a file's content appears in it as it is. */
    private static String gunzip(byte[] layer) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(layer))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
