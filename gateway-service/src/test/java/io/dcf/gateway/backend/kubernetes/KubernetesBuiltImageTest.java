package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kubernetes backend runs what the build seam hands it: an image built by build-service,
 * by digest, becomes the pods' image and the stored spec's; local code is refused.
 * fabric8's mock API server in CRUD mode; the test plays the kubelet.
 */
class KubernetesBuiltImageTest {

    private static final String V1 = "127.0.0.1:5000/hello@sha256:" + "1".repeat(64);
    private static final String V2 = "127.0.0.1:5000/hello@sha256:" + "2".repeat(64);

    @RegisterExtension
    static final MockClusterExtension MOCK = new MockClusterExtension();

    private KubernetesFunctionBackend backend;

    private static FunctionSpec spec(String name) {
        return FunctionSpec.newBuilder().setName(name).setRuntime("java").setReplicas(1).build();
    }

    private static String image(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void deployThenUpdate_builtImages_podsAndRecordRunEachDigest() throws Exception {
        String ns = "built1";
        backend = MOCK.backend(ns, 50051, Duration.ofSeconds(60));
        CompletableFuture<FunctionStatus> deploy = CompletableFuture.supplyAsync(
                () -> backend.deploy(spec("hello"), BuiltFunction.image("b-1", V1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> MOCK.cluster().deployment(ns, "hello") != null);
        MOCK.cluster().createPod(ns, "hello", MockCluster.ready("127.0.0.1", 0, null));
        FunctionStatus deployed = deploy.get(60, TimeUnit.SECONDS);

        assertThat(image(MOCK.cluster().deployment(ns, "hello"))).isEqualTo(V1);
        assertThat(deployed.getSpec().getImage()).isEqualTo(V1);
        assertThat(backend.endpoints().route("hello").spec().getImage()).isEqualTo(V1);

        CompletableFuture<FunctionStatus> update = CompletableFuture.supplyAsync(
                () -> backend.update(spec("hello"), Optional.of(BuiltFunction.image("b-2", V2))));
        await().atMost(Duration.ofSeconds(30)).until(() -> V2.equals(image(MOCK.cluster().deployment(ns, "hello"))));
        MOCK.cluster().createPod(ns, "hello", MockCluster.ready("127.0.0.2", 0, null));
        FunctionStatus updated = update.get(60, TimeUnit.SECONDS);

        assertThat(updated.getSpec().getImage()).isEqualTo(V2);
        assertThat(updated.getGeneration()).isEqualTo(2);
        assertThat(backend.get("hello").getSpec().getImage()).isEqualTo(V2);
    }

    @Test
    void deploy_localCode_failedPreconditionAndNothingCreated() {
        String ns = "built2";
        backend = MOCK.backend(ns, 50051, Duration.ofSeconds(60));

        assertThatThrownBy(() -> backend.deploy(spec("local"), BuiltFunction.localCode("local-1", Path.of("/x"))))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("function local", "container images");
                });
        assertThat(MOCK.cluster().deployment(ns, "local")).isNull();
    }
}
