package io.dcf.e2e;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import io.kubernetes.client.custom.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watcher pods made straight from an image, without the gateway: the image's own entrypoint,
 * the watcher contract's environment, and the security context the Kubernetes backend gives
 * functions (non-root checked by the kubelet against the image's numeric user, no privilege
 * escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem).
 * Every pod made is deleted on {@link #close()}.
 */
final class WatcherPods implements AutoCloseable {

    static final int PORT = 50051;
    private static final Set<String> HOPELESS = Set.of("ErrImagePull", "ImagePullBackOff", "CrashLoopBackOff",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName");

    private final CoreV1Api core;
    private final String namespace;
    private final List<String> made = new ArrayList<>();

    WatcherPods(Cluster cluster, String namespace) throws ApiException {
        this.core = cluster.core();
        this.namespace = namespace;
        try {
            core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
        } catch (ApiException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** Creates pod {@code name} running {@code image} with {@code env}; returns its IP once it is Ready. */
    String start(String name, String image, Map<String, String> env) throws ApiException {
        List<V1EnvVar> vars = new ArrayList<>();
        env.forEach((key, value) -> vars.add(new V1EnvVar().name(key).value(value)));
        V1Container container = new V1Container()
                .name("watcher")
                .image(image)
                .imagePullPolicy("IfNotPresent")
                .env(vars)
                .ports(List.of(new V1ContainerPort().name("grpc").containerPort(PORT)))
                .readinessProbe(new V1Probe().tcpSocket(new V1TCPSocketAction().port(new IntOrString(PORT)))
                        .periodSeconds(1).failureThreshold(1))
                .resources(new V1ResourceRequirements()
                        .requests(Map.of("cpu", Quantity.fromString("50m"), "memory", Quantity.fromString("64Mi")))
                        .limits(Map.of("memory", Quantity.fromString("384Mi"))))
                .securityContext(new V1SecurityContext()
                        .runAsNonRoot(true)
                        .allowPrivilegeEscalation(false)
                        .readOnlyRootFilesystem(true)
                        .capabilities(new V1Capabilities().drop(List.of("ALL")))
                        .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")));
        V1Pod pod = new V1Pod()
                .metadata(new V1ObjectMeta().name(name).namespace(namespace)
                        .labels(Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/part-of", "dcf-e2e")))
                .spec(new V1PodSpec().containers(List.of(container)).restartPolicy("Always")
                        .terminationGracePeriodSeconds(15L).enableServiceLinks(false)
                        // client-java 27 sends "overhead": {} unless told otherwise, and a 1.20 API
                        // server refuses that without a RuntimeClass: "Pod Overhead set without ...".
                        .overhead(null));
        deleteNow(name);
        core.createNamespacedPod(namespace, pod).execute();
        made.add(name);
        await("pod " + namespace + "/" + name + " Ready").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> ready(name));
        return core.readNamespacedPod(name, namespace).execute().getStatus().getPodIP();
    }

    /** The watcher container's status (restarts, state). */
    V1ContainerStatus status(String name) throws ApiException {
        return core.readNamespacedPod(name, namespace).execute().getStatus().getContainerStatuses().get(0);
    }

    private boolean ready(String name) throws ApiException {
        V1Pod pod = core.readNamespacedPod(name, namespace).execute();
        List<V1ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        if (statuses == null || statuses.isEmpty()) {
            return false;
        }
        V1ContainerStatus status = statuses.get(0);
        if (status.getState() != null && status.getState().getWaiting() != null
                && HOPELESS.contains(status.getState().getWaiting().getReason())) {
            throw new AssertionError("pod " + namespace + "/" + name + " cannot run: "
                    + status.getState().getWaiting().getReason() + ": " + status.getState().getWaiting().getMessage()
                    + logs(name));
        }
        return Boolean.TRUE.equals(status.getReady());
    }

    private String logs(String name) {
        try {
            return "\nlogs:\n" + core.readNamespacedPodLog(name, namespace).tailLines(50).execute();
        } catch (ApiException e) {
            return "";
        }
    }

    private void deleteNow(String name) throws ApiException {
        try {
            core.deleteNamespacedPod(name, namespace).gracePeriodSeconds(0).execute();
            await("old pod " + name + " gone").atMost(Duration.ofMinutes(1)).until(() -> gone(name));
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private boolean gone(String name) {
        try {
            core.readNamespacedPod(name, namespace).execute();
            return false;
        } catch (ApiException e) {
            return e.getCode() == 404;
        }
    }

    @Override
    public void close() {
        for (String name : made) {
            try {
                core.deleteNamespacedPod(name, namespace).execute();
            } catch (ApiException e) {
                if (e.getCode() != 404) {
                    System.getLogger(WatcherPods.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot delete pod {0}/{1}: {2}", namespace, name, e.getResponseBody());
                }
            }
        }
    }
}
