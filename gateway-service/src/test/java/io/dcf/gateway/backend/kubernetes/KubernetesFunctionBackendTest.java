package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import io.dcf.proto.v1.ReplicaStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kubernetes backend driven through client-java against fabric8's mock API server in
 * CRUD mode; the test plays the controllers and kubelet (pods and their status).
 */
class KubernetesFunctionBackendTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    @RegisterExtension
    static final MockClusterExtension MOCK = new MockClusterExtension();

    private final String ns = "fn" + NAMESPACES.incrementAndGet();
    private KubernetesFunctionBackend backend;

    private KubernetesFunctionBackend start(Duration readyTimeout) {
        backend = MOCK.backend(ns, 50051, readyTimeout);
        return backend;
    }

    /** Deploys the spec's own image, as PrebuiltImages hands it over (nothing built). */
    private FunctionStatus deploy(FunctionSpec spec) {
        return backend.deploy(spec, BuiltFunction.prebuilt(spec.getImage()));
    }

    private static FunctionSpec spec(String name, String image) {
        return FunctionSpec.newBuilder().setName(name).setRuntime("java").setImage(image).setReplicas(1)
                .setDescription("echoes").putEnvironment("GREETING", "hi").build();
    }

    /** Deploys in the background, plays the kubelet: one pod of the template, ready at {@code ip}. */
    private FunctionStatus deployReady(String name, String ip) throws Exception {
        CompletableFuture<FunctionStatus> deploy = CompletableFuture.supplyAsync(
                () -> deploy(spec(name, "registry.local/echo:1")));
        await().atMost(Duration.ofSeconds(30)).until(() -> MOCK.cluster().deployment(ns, name) != null);
        MOCK.cluster().createPod(ns, name, MockCluster.ready(ip, 0, null));
        return deploy.get(60, TimeUnit.SECONDS);
    }

    @Test
    void deploy_podBecomesReady_returnsReadyStatusAndRoute() throws Exception {
        start(Duration.ofSeconds(60));

        FunctionStatus status = deployReady("echo", "127.0.0.1");

        assertThat(status.getReadyReplicas()).isEqualTo(1);
        assertThat(status.getGeneration()).isEqualTo(1);
        assertThat(status.getSpec().getEnvironmentMap()).containsEntry("GREETING", "hi");
        ReplicaStatus replica = status.getReplicaStatuses(0);
        assertThat(replica.getState()).isEqualTo("READY");
        assertThat(replica.getName()).startsWith("echo-");
        assertThat(replica.getPid()).isZero();
        assertThat(replica.getEndpoint()).isEqualTo("127.0.0.1:50051");
        Route route = backend.endpoints().route("echo");
        assertThat(route.endpoints()).extracting(Endpoint::authority).containsExactly("127.0.0.1:50051");
        assertThat(route.spec().getImage()).isEqualTo("registry.local/echo:1");
        assertThat(MOCK.client().services().inNamespace(ns).withName("echo").get()).isNotNull();
    }

    @Test
    void get_afterGatewayRestart_returnsTheSameSpecAndRecord() throws Exception {
        start(Duration.ofSeconds(60));
        FunctionStatus deployed = deployReady("keep", "127.0.0.1");
        backend.close();

        backend = MOCK.backend(ns, 50051, Duration.ofSeconds(60));

        FunctionStatus restored = backend.get("keep");
        assertThat(restored.getSpec()).isEqualTo(deployed.getSpec());
        assertThat(restored.getCreated()).isEqualTo(deployed.getCreated());
        assertThat(restored.getGeneration()).isEqualTo(1);
        assertThat(backend.list()).extracting(s -> s.getSpec().getName()).containsExactly("keep");
        assertThat(backend.endpoints().route("keep").endpoints()).hasSize(1);
    }

    @Test
    void deploy_withoutImage_failedPreconditionSayingWhatToDo() {
        start(Duration.ofSeconds(60));

        assertThatThrownBy(() -> deploy(spec("noimage", "")))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("noimage", "image:", "dcf function build");
                });
        assertThat(MOCK.cluster().deployment(ns, "noimage")).isNull();
    }

    @Test
    void deploy_refusedByTheGatewaysRole_permissionDeniedNamingTheObjectAndWhatTheApiServerSaid() {
        start(Duration.ofSeconds(60));
        MOCK.server().expect().post().withPath("/apis/apps/v1/namespaces/" + ns + "/deployments").andReturn(403,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                        + "\"deployments.apps is forbidden: User \\\"system:serviceaccount:dcf:dcf-gateway\\\" cannot"
                        + " create resource \\\"deployments\\\" in API group \\\"apps\\\" in the namespace \\\""
                        + ns + "\\\"\",\"reason\":\"Forbidden\",\"code\":403}").once();

        assertThatThrownBy(() -> deploy(spec("denied", "registry.local/echo:1")))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getMessage()).isEqualTo("cannot create Deployment " + ns + "/denied: deployments.apps"
                            + " is forbidden: User \"system:serviceaccount:dcf:dcf-gateway\" cannot create resource"
                            + " \"deployments\" in API group \"apps\" in the namespace \"" + ns
                            + "\" (HTTP 403, Forbidden)");
                });
        assertThat(MOCK.client().services().inNamespace(ns).withName("denied").get()).isNull();
    }

    @Test
    void deploy_existingName_returnsAlreadyExists() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("twice", "127.0.0.1");

        assertThatThrownBy(() -> deploy(spec("twice", "registry.local/other:2")))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("function twice already exists");
                });
        assertThat(MOCK.cluster().deployment(ns, "twice").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.local/echo:1");
    }

    @Test
    void deploy_serviceRefused_leavesNothingBehind() {
        start(Duration.ofSeconds(60));
        MOCK.client().services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("taken")
                .withNamespace(ns).addToLabels("owner", "someone-else").endMetadata().withNewSpec()
                .addNewPort().withPort(80).endPort().endSpec().build()).create();

        assertThatThrownBy(() -> deploy(spec("taken", "registry.local/echo:1")))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
                    assertThat(e.getMessage()).startsWith("cannot create Service " + ns + "/taken: ");
                });
        assertThat(MOCK.cluster().deployment(ns, "taken")).isNull();
        assertThat(MOCK.client().services().inNamespace(ns).withName("taken").get().getMetadata().getLabels())
                .containsEntry("owner", "someone-else");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThatThrownBy(() -> backend.get("taken")).isInstanceOf(FunctionNotFoundException.class));
    }

    @Test
    void deploy_podInImagePullBackOffAtDeadline_failsWithReasonAndRemovesObjects() throws Exception {
        start(Duration.ofSeconds(3));
        CompletableFuture<FunctionStatus> deploy = CompletableFuture.supplyAsync(
                () -> deploy(spec("badimage", "registry.local/nope:1")));
        await().atMost(Duration.ofSeconds(30)).until(() -> MOCK.cluster().deployment(ns, "badimage") != null);
        Pod pod = MOCK.cluster().createPod(ns, "badimage", MockCluster.waiting("ImagePullBackOff",
                "Back-off pulling image \"registry.local/nope:1\""));

        assertThat(deploy).failsWithin(Duration.ofSeconds(60)).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("function badimage did not become ready within 3 s",
                            "pod " + pod.getMetadata().getName() + ": ImagePullBackOff: Back-off pulling image",
                            "removed");
                });
        assertThat(MOCK.cluster().deployment(ns, "badimage")).isNull();
        assertThat(MOCK.client().services().inNamespace(ns).withName("badimage").get()).isNull();
    }

    @Test
    void deploy_podStillStartingAtDeadline_staysDeployedAndSaysStarting() throws Exception {
        start(Duration.ofSeconds(3));
        CompletableFuture<FunctionStatus> deploy = CompletableFuture.supplyAsync(
                () -> deploy(spec("slow", "registry.local/big:1")));
        await().atMost(Duration.ofSeconds(30)).until(() -> MOCK.cluster().deployment(ns, "slow") != null);
        MOCK.cluster().createPod(ns, "slow", MockCluster.waiting("ContainerCreating", null));

        FunctionStatus status = deploy.get(60, TimeUnit.SECONDS);

        assertThat(status.getReadyReplicas()).isZero();
        assertThat(status.getReplicaStatusesList()).extracting(ReplicaStatus::getState, ReplicaStatus::getMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("STARTING", "ContainerCreating"));
        assertThat(MOCK.cluster().deployment(ns, "slow")).isNotNull();
        assertThat(backend.endpoints().route("slow").endpoints()).isEmpty();
    }

    @Test
    void update_sameImage_rollsANewGeneration() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("roll", "127.0.0.1");
        String firstTemplate = MOCK.cluster().deployment(ns, "roll").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(FunctionMetadata.GENERATION);

        CompletableFuture<FunctionStatus> update = CompletableFuture.supplyAsync(() -> backend.update(
                spec("roll", "registry.local/echo:1").toBuilder().putEnvironment("GREETING", "hello").build(),
                Optional.empty()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(MOCK.cluster().deployment(ns, "roll").getSpec()
                .getTemplate().getMetadata().getAnnotations().get(FunctionMetadata.GENERATION)));
        MOCK.cluster().createPod(ns, "roll", MockCluster.ready("127.0.0.2", 0, null));
        FunctionStatus status = update.get(60, TimeUnit.SECONDS);

        assertThat(firstTemplate).isEqualTo("1");
        assertThat(status.getGeneration()).isEqualTo(2);
        assertThat(status.getSpec().getEnvironmentMap()).containsEntry("GREETING", "hello");
        assertThat(status.getCreated()).isNotEqualTo(status.getUpdated());
        assertThat(backend.get("roll").getSpec().getEnvironmentMap()).containsEntry("GREETING", "hello");
    }

    @Test
    void versions_recordDeployAndUpdate_andRollbackRollsThePreviousImageBack() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("back", "127.0.0.1");
        rolled("back", 2, () -> backend.update(spec("back", "registry.local/echo@sha256:" + "2".repeat(64)),
                Optional.empty()));

        FunctionStatus status = rolled("back", 3, () -> backend.rollback("back", 0));

        assertThat(status.getSpec().getImage()).isEqualTo("registry.local/echo:1");
        assertThat(MOCK.cluster().deployment(ns, "back").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.local/echo:1");
        List<FunctionVersion> versions = backend.versions("back");
        assertThat(versions).extracting(FunctionVersion::getVersion).containsExactly(3L, 2L, 1L);
        assertThat(versions).extracting(FunctionVersion::getCause).containsExactly("rollback", "update", "deploy");
        assertThat(versions).extracting(FunctionVersion::getImage).containsExactly("registry.local/echo:1",
                "registry.local/echo@sha256:" + "2".repeat(64), "registry.local/echo:1");
        assertThat(versions).extracting(FunctionVersion::getCurrent).containsExactly(true, false, false);
        assertThat(versions.get(0).getRolledBackTo()).isEqualTo(1);
        assertThat(MOCK.cluster().deployment(ns, "back").getMetadata().getAnnotations()).containsKey(FunctionMetadata.VERSIONS);

        backend.close();
        backend = MOCK.backend(ns, 50051, Duration.ofSeconds(60));
        assertThat(backend.versions("back")).isEqualTo(versions);
        assertThatThrownBy(() -> backend.rollback("back", 7)).isInstanceOfSatisfying(DcfException.class,
                e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND));
    }

    /** Runs {@code change} in the background, plays the kubelet for generation {@code generation}. */
    private FunctionStatus rolled(String name, long generation, java.util.function.Supplier<FunctionStatus> change)
            throws Exception {
        CompletableFuture<FunctionStatus> future = CompletableFuture.supplyAsync(change);
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.toString(generation).equals(MOCK.cluster()
                .deployment(ns, name).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(FunctionMetadata.GENERATION)));
        MOCK.cluster().createPod(ns, name, MockCluster.ready("127.0.0." + generation, 0, null));
        return future.get(60, TimeUnit.SECONDS);
    }

    @Test
    void update_unknownFunction_returnsNotFound() {
        start(Duration.ofSeconds(60));

        assertThatThrownBy(() -> backend.update(spec("ghost", "registry.local/echo:1"), Optional.empty()))
                .isInstanceOf(FunctionNotFoundException.class);
    }

    @Test
    void scale_setsTheDeploymentsReplicas() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("wide", "127.0.0.1");

        FunctionStatus status = backend.scale("wide", 3);

        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(MOCK.cluster().deployment(ns, "wide").getSpec().getReplicas()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.get("wide").getReplicas() == 3);
        assertThat(backend.get("wide").getSpec().getReplicas()).isEqualTo(3);
        assertThatThrownBy(() -> backend.scale("ghost", 2)).isInstanceOf(FunctionNotFoundException.class);
    }

    @Test
    void delete_withServiceAlreadyGone_deletesTheRest_thenNotFound() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("gone", "127.0.0.1");
        MOCK.client().services().inNamespace(ns).withName("gone").delete();

        backend.delete("gone");

        assertThat(MOCK.cluster().deployment(ns, "gone")).isNull();
        assertThatThrownBy(() -> backend.delete("gone")).isInstanceOf(FunctionNotFoundException.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
                () -> backend.endpoints().route("gone")).isInstanceOf(FunctionNotFoundException.class));
    }

    @Test
    void route_keepsTheSameEndpointObjectsAcrossPodUpdates_andDropsPodsNotReady() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("same", "127.0.0.1");
        Endpoint first = backend.endpoints().route("same").endpoints().get(0);
        first.acquire();
        Pod second = MOCK.cluster().createPod(ns, "same", MockCluster.ready("127.0.0.3", 0, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.endpoints().route("same").endpoints().size() == 2);

        MOCK.cluster().setStatus(second, MockCluster.ready("127.0.0.3", 1, "OOMKilled"));
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.get("same").getReplicaStatusesList().stream()
                .anyMatch(r -> r.getRestarts() == 1));

        assertThat(backend.endpoints().route("same").endpoints()).element(0).isSameAs(first);
        assertThat(first.inflight()).isEqualTo(1);
        assertThat(backend.get("same").getReplicaStatusesList()).extracting(ReplicaStatus::getMessage)
                .contains("last exit: OOMKilled (exit code 137)");
        MOCK.cluster().setStatus(second, MockCluster.waiting("ContainerCreating", null));
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.endpoints().route("same").endpoints().size() == 1);
        assertThat(backend.endpoints().route("same").endpoints()).containsExactly(first);
    }

    @Test
    void get_crashLoopingPod_showsNotReadyWithReasonRestartsAndLastExit() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("crashy", "127.0.0.1");
        MOCK.cluster().createPod(ns, "crashy", MockCluster.crashLooping(4, "OOMKilled"));

        await().atMost(Duration.ofSeconds(30)).until(() -> backend.get("crashy").getReplicaStatusesCount() == 2);

        ReplicaStatus crashing = backend.get("crashy").getReplicaStatusesList().stream()
                .filter(r -> r.getRestarts() == 4).findFirst().orElseThrow();
        assertThat(crashing.getState()).isEqualTo("NOT_READY");
        assertThat(crashing.getRestarts()).isEqualTo(4);
        assertThat(crashing.getMessage()).isEqualTo("CrashLoopBackOff: back-off 40s restarting failed container;"
                + " last exit: OOMKilled (exit code 137)");
        assertThat(backend.get("crashy").getReadyReplicas()).isEqualTo(1);
    }

    @Test
    void informers_afterTheApiServerDropsTheirWatches_watchAgainAndSeeNewPods() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("rewatch", "127.0.0.1");
        await().atMost(Duration.ofSeconds(30)).until(() -> MOCK.cluster().bridge().openWatches() >= 2);

        MOCK.cluster().bridge().dropWatches();
        await().atMost(Duration.ofSeconds(60)).until(() -> MOCK.cluster().bridge().openWatches() >= 2);
        MOCK.cluster().createPod(ns, "rewatch", MockCluster.ready("127.0.0.4", 0, null));

        await().atMost(Duration.ofSeconds(30)).until(() -> backend.endpoints().route("rewatch").endpoints().size() == 2);
    }

    @Test
    void eject_keepsAnEndpointOutForAWhile() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("flaky", "127.0.0.1");
        Endpoint endpoint = backend.endpoints().route("flaky").endpoints().get(0);

        backend.endpoints().eject("flaky", endpoint, "3 calls failed in a row");

        assertThat(backend.endpoints().route("flaky").endpoints()).isEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> backend.endpoints().route("flaky").endpoints().size() == 1);
        assertThat(backend.endpoints().route("flaky").endpoints().get(0)).isSameAs(endpoint);
    }

    @Test
    void logs_tail_readsEachPodsLastLinesInNameOrder() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("chatty", "127.0.0.1");
        Pod second = MOCK.cluster().createPod(ns, "chatty", MockCluster.ready("127.0.0.5", 0, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.get("chatty").getReplicaStatusesCount() == 2);
        java.util.List<String> pods = MOCK.client().pods().inNamespace(ns).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
        MOCK.server().expect().get().withPath(logPath(pods.get(0), "tailLines=2")).andReturn(200, "a1\na2\n").always();
        MOCK.server().expect().get().withPath(logPath(pods.get(1), "tailLines=2")).andReturn(200, "b1\nb2\n").always();
        java.util.List<String> lines = new java.util.ArrayList<>();

        backend.logs("chatty", 2, false, (index, pod, line) -> lines.add(index + " " + pod + " " + line),
                () -> false);

        assertThat(lines).containsExactly("0 " + pods.get(0) + " a1", "0 " + pods.get(0) + " a2",
                "1 " + pods.get(1) + " b1", "1 " + pods.get(1) + " b2");
        assertThat(second.getMetadata().getName()).isIn(pods);
    }

    @Test
    void logs_follow_readsEveryPodIncludingOnesThatStartLater_untilTheSinkStops() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("tail", "127.0.0.1");
        String first = MOCK.client().pods().inNamespace(ns).list().getItems().get(0).getMetadata().getName();
        MOCK.server().expect().get().withPath(logPath(first, "follow=true&tailLines=5")).andReturn(200, "old\n").always();
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> follow = CompletableFuture.runAsync(() -> backend.logs("tail", 5, true,
                (index, pod, line) -> {
                    lines.add(index + " " + pod + " " + line);
                    return !line.equals("stop");
                }, cancelled::get));
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("0 " + first + " old"));

        Pod later = MOCK.cluster().createPod(ns, "tail", MockCluster.ready("127.0.0.6", 0, null));
        MOCK.server().expect().get().withPath(logPath(later.getMetadata().getName(), "follow=true"))
                .andReturn(200, "new\nstop\nnever\n").always();

        follow.get(60, TimeUnit.SECONDS);
        String second = later.getMetadata().getName();
        assertThat(lines).containsExactly("0 " + first + " old", "1 " + second + " new", "1 " + second + " stop");
    }

    @Test
    void logs_follow_endsWhenTheCallerCancels() throws Exception {
        start(Duration.ofSeconds(60));
        deployReady("quiet", "127.0.0.1");
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> follow = CompletableFuture.runAsync(() -> backend.logs("quiet", 0, true,
                (index, pod, line) -> true, cancelled::get));

        cancelled.set(true);

        follow.get(60, TimeUnit.SECONDS);
        assertThatThrownBy(() -> backend.logs("nobody", 0, false, (i, p, l) -> true, () -> false))
                .isInstanceOf(FunctionNotFoundException.class);
    }

    private String logPath(String pod, String query) {
        return "/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?" + query;
    }
}
