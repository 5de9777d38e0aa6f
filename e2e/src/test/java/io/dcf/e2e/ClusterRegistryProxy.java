package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
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
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * registry-proxy on the real cluster as the chart deploys it: the -Pimages image
 * ({@link E2eImages#registryProxy()}) run by the chart's DaemonSet, rendered by real Helm with
 * {@code registryProxy.hostNetwork} on the first free port from 5001 (this node's own registry
 * holds 127.0.0.1:5000), in front of the cluster's registry. From the host it answers on
 * {@code 127.0.0.1:<port>}, as it does for the kubelet. It lives in the caller's namespace and
 * goes with it.
 */
final class ClusterRegistryProxy {

    private static final System.Logger LOG = System.getLogger(ClusterRegistryProxy.class.getName());
    private static final Path CHART = Path.of(System.getProperty("dcf.e2e.chart-dir", "../helm/dcf"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;

    private ClusterRegistryProxy(int port) {
        this.port = port;
    }

    /** Creates the proxy's DaemonSet in {@code namespace} and returns once its pod is ready. */
    static ClusterRegistryProxy start(String namespace) throws Exception {
        int port = freePort();
        String image = E2eImages.registryProxy();
        V1DaemonSet daemonSet = render(namespace, image, port);
        AppsV1Api apps = new AppsV1Api(Cluster.get().api());
        apps.createNamespacedDaemonSet(namespace, daemonSet).execute();
        String name = daemonSet.getMetadata().getName();
        await("registry-proxy DaemonSet ready in " + namespace).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1)).until(() -> ready(apps, namespace, name));
        return new ClusterRegistryProxy(port);
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}: the proxy for this host and for the kubelet alike. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** One series of the proxy's {@code /metrics}, e.g. {@code dcf_registry_proxy_cache_hits_total{kind="blob"}}. */
    double metric(String series) throws Exception {
        String text = new String(get("/metrics").body(), StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError(series + " not in the proxy's /metrics"));
    }

    /** The manifest of {@code repository@digest} read through the proxy; its bytes must hash to {@code digest}. */
    JsonNode manifest(String repository, String digest) throws Exception {
        byte[] manifest = get("/v2/" + repository + "/manifests/" + digest).body();
        assertThat(sha256(manifest)).as("the manifest of %s@%s read through the proxy", repository, digest)
                .isEqualTo(digest);
        return JSON.readTree(manifest);
    }

    /** The blob {@code repository@digest} read through the proxy; its bytes must hash to {@code digest}. */
    byte[] blob(String repository, String digest) throws Exception {
        byte[] blob = get("/v2/" + repository + "/blobs/" + digest).body();
        assertThat(sha256(blob)).as("blob %s of %s read through the proxy", digest, repository).isEqualTo(digest);
        return blob;
    }

    /** {@code GET path} on the proxy, which must answer 200. */
    HttpResponse<byte[]> get(String path) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address() + path))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json,"
                        + "application/vnd.oci.image.manifest.v1+json")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("GET %s through the proxy", path).isEqualTo(200);
        return r;
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The chart's DaemonSet, rendered by real Helm for {@code namespace}: hostNetwork on {@code port}, upstream the node's registry. */
    private static V1DaemonSet render(String namespace, String image, int port) throws IOException {
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

    private static boolean ready(AppsV1Api apps, String namespace, String name) throws ApiException {
        V1DaemonSet ds = apps.readNamespacedDaemonSet(name, namespace).execute();
        Integer ready = ds.getStatus() == null ? null : ds.getStatus().getNumberReady();
        return ready != null && ready >= 1;
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
