package io.dcf.gateway.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the cluster's controllers and kubelet against fabric8's mock API server (CRUD
 * mode): makes the pods a ReplicaSet would make from a Deployment's template and sets
 * their status. The backend under test only talks to the API (through {@link WatchBridge}).
 */
final class MockCluster {

    static final String IMAGE = "registry.local/echo:1";
    private static final AtomicInteger PODS = new AtomicInteger();

    private final KubernetesClient client;
    private final WatchBridge bridge;

    /** Makes {@code server} answer {@code GET /version} as a 1.20 API server (the backend reads it at start). */
    static void answerVersion(KubernetesMockServer server) {
        server.expect().get().withPath("/version").andReturn(200, "{\"major\":\"1\",\"minor\":\"20\","
                + "\"gitVersion\":\"v1.20.15\"}").always();
    }

    MockCluster(KubernetesClient client, WatchBridge bridge) {
        this.client = client;
        this.bridge = bridge;
    }

    KubernetesClient client() {
        return client;
    }

    WatchBridge bridge() {
        return bridge;
    }

    /** A client-java client of the mock (through the bridge) with {@code readTimeout} as its deadline. */
    ApiClient apiClient(Duration readTimeout) {
        ApiClient api = new ClientBuilder().setBasePath(bridge.url()).setReadTimeout(readTimeout).build();
        api.setConnectTimeout(10_000);
        return api;
    }

    KubernetesFunctionBackend backend(String namespace, int watcherPort, Duration readyTimeout) {
        return backend(namespace, watcherPort, readyTimeout, java.util.Optional.empty());
    }

    /** A backend that makes update-model images with {@code models}. */
    KubernetesFunctionBackend backend(String namespace, int watcherPort, Duration readyTimeout,
                                      java.util.Optional<ModelImages> models) {
        return KubernetesFunctionBackend.start(new KubernetesBackendSettings(KubernetesSettings.defaults(namespace),
                watcherPort, readyTimeout, Duration.ofMinutes(5), Duration.ofSeconds(5)),
                apiClient(Duration.ofSeconds(30)), apiClient(Duration.ZERO), models);
    }

    Deployment deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    /** A pod of the Deployment's current template, as its ReplicaSet would create it, with {@code status}. */
    Pod createPod(String namespace, String function, PodStatus status) {
        Deployment deployment = deployment(namespace, function);
        var template = deployment.getSpec().getTemplate();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(function + "-" + PODS.incrementAndGet()).withNamespace(namespace)
                .withLabels(template.getMetadata().getLabels())
                .withAnnotations(template.getMetadata().getAnnotations()).endMetadata()
                .withSpec(template.getSpec())
                .withStatus(status)
                .build();
        return client.pods().inNamespace(namespace).resource(pod).create();
    }

    void setStatus(Pod pod, PodStatus status) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(p -> new PodBuilder(p).withStatus(status).build());
    }

    /** Running and Ready at {@code ip}, with {@code restarts} and, when not null, the last exit's reason. */
    static PodStatus ready(String ip, int restarts, String lastExit) {
        ContainerStatusBuilder container = new ContainerStatusBuilder().withName("function").withImage(IMAGE).withImageID("").withReady(true)
                .withRestartCount(restarts)
                .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState();
        if (lastExit != null) {
            container.withNewLastState().withNewTerminated().withReason(lastExit).withExitCode(137).endTerminated()
                    .endLastState();
        }
        return new PodStatusBuilder().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withContainerStatuses(container.build()).build();
    }

    /** Pending, its container waiting with {@code reason} (ContainerCreating, ImagePullBackOff, ...). */
    static PodStatus waiting(String reason, String message) {
        ContainerStatus container = new ContainerStatusBuilder().withName("function").withImage(IMAGE).withImageID("").withReady(false)
                .withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build();
        return new PodStatusBuilder().withPhase("Pending").withPodIP("10.0.0.9")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .withContainerStatuses(container).build();
    }

    /** Running but crash-looping: waiting CrashLoopBackOff, restarted, last exit {@code lastExit}. */
    static PodStatus crashLooping(int restarts, String lastExit) {
        ContainerStatus container = new ContainerStatusBuilder().withName("function").withImage(IMAGE).withImageID("").withReady(false)
                .withRestartCount(restarts)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                .withMessage("back-off 40s restarting failed container").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason(lastExit).withExitCode(137).endTerminated()
                .endLastState()
                .build();
        return new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.8")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .withContainerStatuses(container).build();
    }

    static Map<String, String> labels(String function) {
        return FunctionMetadata.selectorLabels(function);
    }
}
