package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's image from {@code -Pimages} (on a base made from this machine's JRE) runs on the
 * real cluster as the chart runs it: non-root, read-only root filesystem with emptyDirs on /tmp
 * and DCF_HOME, no capabilities; it answers its health check at its pod IP.
 */
class GatewayImageOnClusterIT {

    private static TestPods pods;

    @BeforeAll
    static void cluster() throws Exception {
        pods = new TestPods(Cluster.get(), "dcf-e2e-images");
    }

    @AfterAll
    static void deletePods() {
        if (pods != null) {
            pods.close();
        }
    }

    @Test
    void gatewayImage_runsNonRootOnReadOnlyRoot_answersHealthAtItsPodIp() throws Exception {
        String image = E2eImages.gateway();

        String ip = pods.start("gateway", TestPods.Spec.gateway(image, Map.of("DCF_GATEWAY_ALLOWED_HOSTS", "*")));

        HttpResponse<String> health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + TestPods.GATEWAY_PORT + "/system/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("OK");
        assertThat(pods.status("gateway").getRestartCount()).isZero();
    }
}
