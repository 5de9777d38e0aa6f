package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.ScaleSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2beta2.HorizontalPodAutoscaler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Autoscaling on the Kubernetes backend against fabric8's mock API server (CRUD mode), which
 * plays a 1.20 API server serving autoscaling/v2beta2 only: the autoscaler's count goes to the
 * Deployment and never into the stored spec, a pin writes both in one patch, the resolver tells
 * its listeners when a pod becomes ready, and an hpa-mode function gets its HPA, replaced on
 * update and deleted when it leaves hpa mode.
 */
class KubernetesScalingTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    @RegisterExtension
    static final MockClusterExtension MOCK = new MockClusterExtension();

    private final String ns = "scale" + NAMESPACES.incrementAndGet();
    private KubernetesFunctionBackend backend;

    @BeforeAll
    static void servesAutoscalingV2beta2Only() {
        MOCK.server().expect().get().withPath("/apis/autoscaling/").andReturn(200, """
                {"kind":"APIGroup","apiVersion":"v1","name":"autoscaling","versions":[
                 {"groupVersion":"autoscaling/v1","version":"v1"},
                 {"groupVersion":"autoscaling/v2beta1","version":"v2beta1"},
                 {"groupVersion":"autoscaling/v2beta2","version":"v2beta2"}],
                 "preferredVersion":{"groupVersion":"autoscaling/v1","version":"v1"}}""").always();
    }

    private static FunctionSpec spec(String name, ScaleSpec.Builder scale) {
        return FunctionSpec.newBuilder().setName(name).setRuntime("java").setImage(MockCluster.IMAGE).setReplicas(1)
                .setScale(scale).build();
    }

    private FunctionStatus deployReady(FunctionSpec spec, String ip) throws Exception {
        CompletableFuture<FunctionStatus> deploy = CompletableFuture.supplyAsync(
                () -> backend.deploy(spec, BuiltFunction.prebuilt(spec.getImage())));
        await().atMost(Duration.ofSeconds(30)).until(() -> MOCK.cluster().deployment(ns, spec.getName()) != null);
        MOCK.cluster().createPod(ns, spec.getName(), MockCluster.ready(ip, 0, null));
        return deploy.get(60, TimeUnit.SECONDS);
    }

    private HorizontalPodAutoscaler hpa(String name) {
        return MOCK.client().autoscaling().v2beta2().horizontalPodAutoscalers().inNamespace(ns).withName(name).get();
    }

    @Test
    void autoscale_setsTheDeploymentsReplicas_butNotTheStoredSpec_andTheResolverTellsWhenAPodIsReady()
            throws Exception {
        backend = MOCK.backend(ns, 50051, Duration.ofSeconds(60));
        List<String> changed = new CopyOnWriteArrayList<>();
        backend.endpoints().onRouteChange(changed::add);
        deployReady(spec("burst", ScaleSpec.newBuilder().setMin(0).setMax(5)
                .setZeroAfter(Durations.fromSeconds(30))), "127.0.0.1");
        assertThat(changed).contains("burst");

        backend.autoscale("burst", 4);

        assertThat(MOCK.cluster().deployment(ns, "burst").getSpec().getReplicas()).isEqualTo(4);
        String stored = MOCK.cluster().deployment(ns, "burst").getMetadata().getAnnotations().get(FunctionMetadata.SPEC);
        assertThat(FunctionMetadata.spec(new io.kubernetes.client.openapi.models.V1ObjectMeta()
                .annotations(java.util.Map.of(FunctionMetadata.SPEC, stored))).orElseThrow().getReplicas())
                .as("the stored spec keeps the deployed count").isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.get("burst").getReplicas() == 4);

        changed.clear();
        MOCK.cluster().createPod(ns, "burst", MockCluster.ready("127.0.0.2", 0, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("burst")
                && backend.endpoints().route("burst").endpoints().size() == 2);
    }

    @Test
    void scale_ofAnAutoscaledFunction_pinsIt_inOnePatchOfReplicasAndSpec() throws Exception {
        backend = MOCK.backend(ns, 50051, Duration.ofSeconds(60));
        deployReady(spec("pinned", ScaleSpec.newBuilder().setMin(1).setMax(5).setTargetInflight(7)), "127.0.0.1");

        FunctionStatus status = backend.scale("pinned", 0);

        assertThat(status.getSpec().getScale().getMin()).isZero();
        assertThat(status.getSpec().getScale().getMax()).isZero();
        assertThat(MOCK.cluster().deployment(ns, "pinned").getSpec().getReplicas()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            FunctionSpec read = backend.get("pinned").getSpec();
            assertThat(read.getScale().hasMax()).isTrue();
            assertThat(read.getScale().getMax()).isZero();
            assertThat(read.getScale().getTargetInflight()).isEqualTo(7);
        });
        assertThat(MOCK.cluster().deployment(ns, "pinned").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(FunctionMetadata.GENERATION)).as("no pod rolls").isEqualTo("1");
    }

    @Test
    void hpaMode_makesAV2beta2Hpa_replacedOnUpdate_deletedWhenLeavingHpaMode() throws Exception {
        backend = MOCK.backend(ns, 50051, Duration.ofSeconds(60));
        deployReady(spec("hpa", ScaleSpec.newBuilder().setMin(2).setMax(6).setTargetInflight(15).setMode("hpa")),
                "127.0.0.1");

        HorizontalPodAutoscaler made = hpa("hpa");
        assertThat(made.getApiVersion()).isEqualTo("autoscaling/v2beta2");
        assertThat(made.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(made.getSpec().getMaxReplicas()).isEqualTo(6);
        assertThat(made.getSpec().getScaleTargetRef().getName()).isEqualTo("hpa");
        assertThat(made.getSpec().getMetrics().get(0).getPods().getTarget().getAverageValue().toString())
                .isEqualTo("15");
        assertThat(made.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("Deployment"));

        CompletableFuture<FunctionStatus> update = CompletableFuture.supplyAsync(() -> backend.update(
                spec("hpa", ScaleSpec.newBuilder().setMin(2).setMax(9).setMode("hpa")), Optional.empty()));
        await().atMost(Duration.ofSeconds(30)).until(() -> hpa("hpa").getSpec().getMaxReplicas() == 9);
        MOCK.cluster().createPod(ns, "hpa", MockCluster.ready("127.0.0.2", 0, null));
        update.get(60, TimeUnit.SECONDS);

        CompletableFuture<FunctionStatus> leave = CompletableFuture.supplyAsync(() -> backend.update(
                spec("hpa", ScaleSpec.newBuilder().setMin(1).setMax(3)), Optional.empty()));
        await().atMost(Duration.ofSeconds(30)).until(() -> hpa("hpa") == null);
        MOCK.cluster().createPod(ns, "hpa", MockCluster.ready("127.0.0.3", 0, null));
        leave.get(60, TimeUnit.SECONDS);
    }
}
