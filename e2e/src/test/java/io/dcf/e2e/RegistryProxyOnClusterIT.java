package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.marcnuri.helm.Helm;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * registry-proxy on the real cluster: the -Pimages image, run by the chart's DaemonSet (rendered by
 * real Helm with registryProxy.hostNetwork, as this node's own registry already holds port 5000 on
 * 127.0.0.1), in front of the cluster's registry; a pod whose image is
 * {@code localhost:<port>/...@sha256:...} (a layer containerd has never seen) is pulled by
 * containerd through the proxy over plain HTTP with no containerd setting, runs, and the proxy has
 * cached the layer by its digest.
 */
class RegistryProxyOnClusterIT {

    private static final System.Logger LOG = System.getLogger(RegistryProxyOnClusterIT.class.getName());
    private static final Path CHART = Path.of(System.getProperty("dcf.e2e.chart-dir", "../helm/dcf"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static CoreV1Api core;
    private static String namespace;
    private static int port;

    @BeforeAll
    static void namespace() throws Exception {
        Cluster cluster = Cluster.get();
        core = cluster.core();
        namespace = "e2e-proxy-" + UUID.randomUUID().toString().substring(0, 8);
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
        port = freePort();
    }

    @AfterAll
    static void deleteNamespace() throws ApiException {
        if (namespace != null) {
            core.deleteNamespace(namespace).execute();
        }
    }

    @Test
    void podImageByDigestThroughTheProxy_pulledOverPlainHttp_layerCachedByDigest() throws Exception {
        String proxyImage = E2eImages.registryProxy();
        V1DaemonSet daemonSet = renderDaemonSet(proxyImage);
        new AppsV1Api(Cluster.get().api()).createNamespacedDaemonSet(namespace, daemonSet).execute();
        await("registry-proxy DaemonSet ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ready(daemonSet.getMetadata().getName()));

        String proof = "pulled through registry-proxy " + UUID.randomUUID();
        String pushed = E2eImages.push(probeImage(proof), "proxy-probe");
        String digest = pushed.substring(pushed.indexOf('@') + 1);
        String viaProxy = "localhost:" + port + "/dcf-e2e/proxy-probe@" + digest;
        double missesBefore = metric("dcf_registry_proxy_cache_misses_total{kind=\"blob\"}");

        core.createNamespacedPod(namespace, probePod(viaProxy)).execute();
        await("probe pod Succeeded").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> phase("probe"), p -> p.equals("Succeeded") || p.equals("Failed") || p.startsWith("Waiting:"));

        assertThat(phase("probe")).as(NamespaceReport.of(core, namespace)).isEqualTo("Succeeded");
        assertThat(core.readNamespacedPodLog("probe", namespace).execute().strip()).isEqualTo(proof);
        assertThat(metric("dcf_registry_proxy_cache_misses_total{kind=\"blob\"}")).as("layers fetched by the proxy")
                .isGreaterThan(missesBefore);
        String layer = topLayer(digest);
        double hits = metric("dcf_registry_proxy_cache_hits_total{kind=\"blob\"}");
        byte[] cached = get("/v2/dcf-e2e/proxy-probe/blobs/" + layer).body();
        assertThat("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cached)))
                .isEqualTo(layer);
        assertThat(metric("dcf_registry_proxy_cache_hits_total{kind=\"blob\"}")).as("the new layer was cached")
                .isEqualTo(hits + 1);
    }

    /** The chart's DaemonSet, rendered by real Helm for this namespace: hostNetwork on a free port, upstream the node's registry. */
    private static V1DaemonSet renderDaemonSet(String image) throws IOException {
        String rendered = new Helm(CHART).template().withName("e2e").withNamespace(namespace)
                .set("registryProxy.enabled", "true")
                .set("registryProxy.hostNetwork", "true")
                .set("registryProxy.hostPort", String.valueOf(port))
                .set("registryProxy.upstream", "http://" + Cluster.REGISTRY)
                .set("registryProxy.image.repository", image.substring(0, image.indexOf('@')))
                .set("registryProxy.image.tag", E2eImages.GATEWAY_TAG)
                .set("registryProxy.image.pullPolicy", "Always")
                .set("registryProxy.cache.maxBytes", "1Gi")
                .set("registryProxy.cache.sizeLimit", "2Gi")
                .call();
        for (Object object : Yaml.loadAll(rendered)) {
            if (object instanceof V1DaemonSet daemonSet) {
                // client-java 27 sends "overhead": {} otherwise, which a 1.20 API server refuses.
                daemonSet.getSpec().getTemplate().getSpec().overhead(null);
                return daemonSet;
            }
        }
        throw new AssertionError("no DaemonSet in the chart's rendering:\n" + rendered);
    }

    /** The cluster's busybox plus one layer containerd has never seen: a file with {@code proof}. */
    private static JibContainerBuilder probeImage(String proof) throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("dcf.e2e.work-dir", "target/e2e"), "proxy-probe"));
        Path file = Files.writeString(dir.resolve("proof.txt"), proof + "\n");
        return Jib.from(RegistryImage.named(Cluster.REGISTRY + "/kube-local/busybox:1"))
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("proof")
                        .addEntry(file, AbsoluteUnixPath.get("/proof.txt")).build())
                .setEntrypoint(List.of("/bin/cat", "/proof.txt"));
    }

    private static V1Pod probePod(String image) {
        return new V1Pod().metadata(new V1ObjectMeta().name("probe").namespace(namespace))
                .spec(new V1PodSpec().restartPolicy("Never").enableServiceLinks(false).overhead(null)
                        .containers(List.of(new V1Container().name("probe").image(image).imagePullPolicy("Always"))));
    }

    private static boolean ready(String name) throws ApiException {
        V1DaemonSet ds = new AppsV1Api(Cluster.get().api()).readNamespacedDaemonSet(name, namespace).execute();
        Integer ready = ds.getStatus() == null ? null : ds.getStatus().getNumberReady();
        return ready != null && ready >= 1;
    }

    /** The pod's phase, or {@code Waiting:<reason>} when its container waits for a hopeless reason. */
    private static String phase(String pod) throws ApiException {
        V1Pod p = core.readNamespacedPod(pod, namespace).execute();
        if (p.getStatus().getContainerStatuses() != null) {
            var waiting = p.getStatus().getContainerStatuses().get(0).getState().getWaiting();
            if (waiting != null && List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName").contains(waiting.getReason())) {
                return "Waiting:" + waiting.getReason() + ": " + waiting.getMessage();
            }
        }
        return p.getStatus().getPhase();
    }

    private static String topLayer(String manifestDigest) throws Exception {
        String manifest = new String(get("/v2/dcf-e2e/proxy-probe/manifests/" + manifestDigest).body(), StandardCharsets.UTF_8);
        var layers = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest).path("layers");
        return layers.get(layers.size() - 1).path("digest").asText();
    }

    private static double metric(String series) throws Exception {
        String text = new String(get("/metrics").body(), StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError(series + " not in the proxy's /metrics"));
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("GET %s through the proxy", path).isEqualTo(200);
        return r;
    }

    /** A port from 5001 up that nothing on this node listens on (the proxy uses the node's network). */
    private static int freePort() throws IOException {
        for (int candidate = 5001; candidate < 5100; candidate++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", candidate));
                LOG.log(Level.INFO, "registry-proxy on 127.0.0.1:{0}", String.valueOf(candidate));
                return candidate;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IllegalStateException("no free port in 5001-5099 on this node");
    }
}
