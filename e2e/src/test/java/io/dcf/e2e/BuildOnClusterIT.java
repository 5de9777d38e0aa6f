package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Source to a running function on the real one-node cluster with no Docker anywhere: the real
 * {@code dcf} CLI (its jar, as a process) runs {@code dcf function create -f config.yaml} against a
 * gateway with the kubernetes backend whose Info names a build-service on this host
 * ({@link BuildingGateway}); the CLI sends examples/hello-java and the python template as tar.gz
 * bundles to build-service, which compiles (Java) and lays them with Jib on the runtimes' bases
 * and pushes them to the cluster's registry (127.0.0.1:5000); the CLI deploys each digest, the
 * kubelet pulls it, and a call answers.
 */
class BuildOnClusterIT {

    private static final System.Logger LOG = System.getLogger(BuildOnClusterIT.class.getName());
    private static final Path WORK = Path.of(System.getProperty("dcf.e2e.work-dir", "target/e2e")).toAbsolutePath();

    private static String namespace;
    private static BuildingGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        namespace = "dcf-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Cluster.get().core().createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
        gateway = BuildingGateway.start(namespace, Cluster.REGISTRY, WORK.resolve("build-on-cluster-" + namespace));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (namespace != null) {
            Cluster.get().core().deleteNamespace(namespace).execute();
        }
    }

    @Test
    void create_onAKubernetesGateway_buildsPushesAndDeploysEachDigest() throws Exception {
        Path project = gateway.echoProject("src-java", "src-python", null);

        long start = System.nanoTime();
        CliProcess.Result create = gateway.create(project);
        LOG.log(System.Logger.Level.INFO, "dcf function create (2 builds, 2 deploys) took {0} ms:\n{1}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), create);

        assertThat(create.code()).as(create.toString()).isZero();
        assertThat(create.out()).contains("phase: building", "phase: pushing",
                "Built: src-java -> " + Cluster.REGISTRY + "/dcf-e2e/src-java@sha256:",
                "Built: src-python -> " + Cluster.REGISTRY + "/dcf-e2e/src-python@sha256:",
                "Function src-java is ready.", "Function src-python is ready.");
        for (String fn : List.of("src-java", "src-python")) {
            HttpResponse<String> reply = gateway.call(fn, "built on the host, run in the cluster");
            assertThat(reply.statusCode()).as(fn).isEqualTo(200);
            assertThat(reply.body()).as(fn).isEqualTo("built on the host, run in the cluster");
        }
        assertThat(gateway.deployedImage("src-java")).startsWith(Cluster.REGISTRY + "/dcf-e2e/src-java@sha256:");
    }
}
