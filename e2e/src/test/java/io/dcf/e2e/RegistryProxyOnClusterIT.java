package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * registry-proxy on the real cluster ({@link ClusterRegistryProxy}: the chart's DaemonSet with
 * hostNetwork, in front of the cluster's registry); a pod whose image is
 * {@code localhost:<port>/...@sha256:...} (a layer containerd has never seen) is pulled by
 * containerd through the proxy over plain HTTP with no containerd setting, runs, and the proxy has
 * cached the layer by its digest.
 */
class RegistryProxyOnClusterIT {

    private static CoreV1Api core;
    private static String namespace;

    @BeforeAll
    static void namespace() throws Exception {
        Cluster cluster = Cluster.get();
        core = cluster.core();
        namespace = "e2e-proxy-" + UUID.randomUUID().toString().substring(0, 8);
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
    }

    @AfterAll
    static void deleteNamespace() throws ApiException {
        if (namespace != null) {
            core.deleteNamespace(namespace).execute();
        }
    }

    @Test
    void podImageByDigestThroughTheProxy_pulledOverPlainHttp_layerCachedByDigest() throws Exception {
        ClusterRegistryProxy proxy = ClusterRegistryProxy.start(namespace);

        String proof = "pulled through registry-proxy " + UUID.randomUUID();
        String pushed = E2eImages.push(probeImage(proof), "proxy-probe");
        String digest = pushed.substring(pushed.indexOf('@') + 1);
        String viaProxy = "localhost:" + proxy.port() + "/dcf-e2e/proxy-probe@" + digest;
        double missesBefore = proxy.metric("dcf_registry_proxy_cache_misses_total{kind=\"blob\"}");

        core.createNamespacedPod(namespace, probePod(viaProxy)).execute();
        await("probe pod Succeeded").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> phase("probe"), p -> p.equals("Succeeded") || p.equals("Failed") || p.startsWith("Waiting:"));

        assertThat(phase("probe")).as(NamespaceReport.of(core, namespace)).isEqualTo("Succeeded");
        assertThat(core.readNamespacedPodLog("probe", namespace).execute().strip()).isEqualTo(proof);
        assertThat(proxy.metric("dcf_registry_proxy_cache_misses_total{kind=\"blob\"}")).as("layers fetched by the proxy")
                .isGreaterThan(missesBefore);
        JsonNode layers = proxy.manifest("dcf-e2e/proxy-probe", digest).path("layers");
        String layer = layers.get(layers.size() - 1).path("digest").asText();
        double hits = proxy.metric("dcf_registry_proxy_cache_hits_total{kind=\"blob\"}");
        proxy.blob("dcf-e2e/proxy-probe", layer);
        assertThat(proxy.metric("dcf_registry_proxy_cache_hits_total{kind=\"blob\"}")).as("the new layer was cached")
                .isEqualTo(hits + 1);
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
}
