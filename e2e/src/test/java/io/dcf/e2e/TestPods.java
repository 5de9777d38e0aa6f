package io.dcf.e2e;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
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
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pods made straight from an image, without the gateway: the image's own entrypoint, the
 * given environment, and the security context the Kubernetes backend and the chart give
 * (non-root checked by the kubelet against the image's numeric user, no privilege escalation,
 * all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem with emptyDirs
 * where the image may write). Every pod made is deleted on {@link #close()}.
 */
final class TestPods implements AutoCloseable {

    /** What runs in the pod's one container. */
    record Spec(String image, Map<String, String> env, int port, List<String> scratch, String memory) {

        /** A watcher: port 50051, writes nothing. */
        static Spec watcher(String image, Map<String, String> env) {
            return new Spec(image, env, WATCHER_PORT, List.of(), "384Mi");
        }

        /** The gateway: port 31113, writes to /tmp and DCF_HOME (as the chart mounts them). */
        static Spec gateway(String image, Map<String, String> env) {
            return new Spec(image, env, GATEWAY_PORT, List.of("/tmp", "/var/dcf/home"), "768Mi");
        }
    }

    static final int WATCHER_PORT = 50051;
    static final int GATEWAY_PORT = 31113;
    private static final Set<String> HOPELESS = Set.of("ErrImagePull", "ImagePullBackOff", "CrashLoopBackOff",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName");

    private final CoreV1Api core;
    private final String namespace;
    private final List<String> made = new ArrayList<>();

    TestPods(Cluster cluster, String namespace) throws ApiException {
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

    /** Creates pod {@code name} running {@code spec}; returns its IP once it is Ready. */
    String start(String name, Spec spec) throws ApiException {
        List<V1EnvVar> vars = new ArrayList<>();
        spec.env().forEach((key, value) -> vars.add(new V1EnvVar().name(key).value(value)));
        List<V1Volume> volumes = new ArrayList<>();
        List<V1VolumeMount> mounts = new ArrayList<>();
        for (String dir : spec.scratch()) {
            String volume = "scratch-" + volumes.size();
            volumes.add(new V1Volume().name(volume).emptyDir(new V1EmptyDirVolumeSource()));
            mounts.add(new V1VolumeMount().name(volume).mountPath(dir));
        }
        V1Container container = new V1Container()
                .name("main")
                .image(spec.image())
                .imagePullPolicy("IfNotPresent")
                .env(vars)
                .volumeMounts(mounts)
                .ports(List.of(new V1ContainerPort().name("serve").containerPort(spec.port())))
                .readinessProbe(new V1Probe().tcpSocket(new V1TCPSocketAction().port(new IntOrString(spec.port())))
                        .periodSeconds(1).failureThreshold(1))
                .resources(new V1ResourceRequirements()
                        .requests(Map.of("cpu", Quantity.fromString("50m"), "memory", Quantity.fromString("64Mi")))
                        .limits(Map.of("memory", Quantity.fromString(spec.memory()))))
                .securityContext(new V1SecurityContext()
                        .runAsNonRoot(true)
                        .allowPrivilegeEscalation(false)
                        .readOnlyRootFilesystem(true)
                        .capabilities(new V1Capabilities().drop(List.of("ALL")))
                        .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")));
        V1Pod pod = new V1Pod()
                .metadata(new V1ObjectMeta().name(name).namespace(namespace)
                        .labels(Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/part-of", "dcf-e2e")))
                .spec(new V1PodSpec().containers(List.of(container)).volumes(volumes).restartPolicy("Always")
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

    /** The container's status (restarts, state). */
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
                    System.getLogger(TestPods.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot delete pod {0}/{1}: {2}", namespace, name, e.getResponseBody());
                }
            }
        }
    }
}
