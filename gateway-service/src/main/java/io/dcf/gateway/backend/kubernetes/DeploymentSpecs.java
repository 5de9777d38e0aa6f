package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.FunctionMetadata.invalid;
import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.FunctionSpec;
import io.grpc.Status;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStrategy;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1RollingUpdateDeployment;
import io.kubernetes.client.openapi.models.V1Scale;
import io.kubernetes.client.openapi.models.V1ScaleSpec;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects of one function, built from its spec and the backend's settings:
 * an {@code apps/v1} Deployment and a {@code v1} Service (docs/kubernetes.md, "What the
 * gateway creates per function"). Pure: no I/O, unit-tested without a cluster; the backend
 * only sends what this returns. A spec the API server would refuse is refused here first,
 * with {@code INVALID_ARGUMENT} naming the field; a spec without an image with
 * {@code FAILED_PRECONDITION}. Every field is valid for {@code apps/v1} on Kubernetes 1.20.
 */
final class DeploymentSpecs {

    /** The user id function containers run as, whatever the image says. */
    static final long RUN_AS_USER = 10001;
    /** Added to a function's timeout and drain for the grace period between SIGTERM and SIGKILL. */
    static final Duration GRACE_MARGIN = Duration.ofSeconds(5);

    private DeploymentSpecs() {
    }

    /** The Deployment of a newly deployed function (generation 1). */
    static V1Deployment deployment(FunctionSpec spec, KubernetesSettings settings) {
        return deployment(spec, settings, 1);
    }

    /**
     * The Deployment of {@code spec} at {@code generation}, which is written on the pod
     * template too: an update with a higher generation rolls every pod, even when the image
     * and all settings are unchanged (a tag pushed again).
     */
    static V1Deployment deployment(FunctionSpec spec, KubernetesSettings settings, long generation) {
        requireNonNull(settings, "settings");
        if (generation < 1) {
            throw new IllegalArgumentException("generation: " + generation + " (expected: >= 1)");
        }
        check(spec);
        String name = spec.getName();
        Map<String, String> labels = FunctionMetadata.labels(spec);
        V1PodSpec pod = new V1PodSpec()
                .containers(List.of(ContainerSpecs.container(spec, settings)))
                .volumes(PodVolumes.volumes(spec))
                .securityContext(podSecurityContext())
                .automountServiceAccountToken(false)
                .enableServiceLinks(false)
                .terminationGracePeriodSeconds(terminationGracePeriod(spec, settings).toSeconds());
        Map<String, String> nodeSelector = Placement.nodeSelector(spec);
        if (!nodeSelector.isEmpty()) {
            pod.nodeSelector(nodeSelector);
        }
        if (ResourceSpecs.gpu(spec) != null) {
            pod.tolerations(Placement.tolerations(true));
        }
        if (!settings.imagePullSecrets().isEmpty()) {
            pod.imagePullSecrets(settings.imagePullSecrets().stream()
                    .map(secret -> new V1LocalObjectReference().name(secret)).toList());
        }
        return EmptyCollections.prune(new V1Deployment()
                .apiVersion("apps/v1")
                .kind("Deployment")
                .metadata(new V1ObjectMeta().name(name).namespace(settings.namespace()).labels(labels)
                        .annotations(FunctionMetadata.deploymentAnnotations(spec, generation)))
                .spec(new V1DeploymentSpec()
                        .replicas(spec.getReplicas())
                        .selector(new V1LabelSelector().matchLabels(FunctionMetadata.selectorLabels(name)))
                        .strategy(new V1DeploymentStrategy().type("RollingUpdate")
                                .rollingUpdate(new V1RollingUpdateDeployment()
                                        .maxUnavailable(new IntOrString(0)).maxSurge(new IntOrString(1))))
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(new TreeMap<>(labels))
                                        .annotations(FunctionMetadata.podAnnotations(spec, generation)))
                                .spec(pod))));
    }

    /** The function's ClusterIP Service on port 50051 ({@code grpc}), for callers inside the cluster. */
    static V1Service service(FunctionSpec spec, KubernetesSettings settings) {
        requireNonNull(settings, "settings");
        checkName(spec);
        return EmptyCollections.prune(new V1Service()
                .apiVersion("v1")
                .kind("Service")
                .metadata(new V1ObjectMeta().name(spec.getName()).namespace(settings.namespace())
                        .labels(FunctionMetadata.labels(spec)))
                .spec(new V1ServiceSpec()
                        .type("ClusterIP")
                        .selector(FunctionMetadata.selectorLabels(spec.getName()))
                        .ports(List.of(new V1ServicePort().name(ContainerSpecs.PORT_NAME).protocol("TCP")
                                .port(WatcherContract.CONTAINER_PORT)
                                .targetPort(new IntOrString(ContainerSpecs.PORT_NAME))))));
    }

    /** The body of a {@code deployments/scale} update. */
    static V1Scale scale(String function, KubernetesSettings settings, int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas: " + replicas + " (expected: >= 0)");
        }
        return EmptyCollections.prune(new V1Scale().apiVersion("autoscaling/v1").kind("Scale")
                .metadata(new V1ObjectMeta().name(function).namespace(settings.namespace()))
                .spec(new V1ScaleSpec().replicas(replicas)));
    }

    /** The label selector of one function's objects and pods. */
    static String selector(String function) {
        return FunctionMetadata.selector(function);
    }

    /** The label selector of every object the gateway manages: {@value FunctionMetadata#MANAGED_SELECTOR}. */
    static String managedSelector() {
        return FunctionMetadata.MANAGED_SELECTOR;
    }

    /**
     * Between SIGTERM and SIGKILL: the function's timeout plus the drain plus a margin, so a
     * call in flight when the pod is stopped can finish and the watcher can still exit cleanly.
     */
    static Duration terminationGracePeriod(FunctionSpec spec, KubernetesSettings settings) {
        Duration total = WatcherContract.timeout(spec, settings.defaultTimeout()).plus(settings.drainTimeout())
                .plus(GRACE_MARGIN);
        long seconds = total.toSeconds() + (total.toNanosPart() > 0 ? 1 : 0);
        return Duration.ofSeconds(seconds);
    }

    /** Non-root (uid and gid 10001, whatever the image's USER), RuntimeDefault seccomp. */
    static V1PodSecurityContext podSecurityContext() {
        return new V1PodSecurityContext()
                .runAsNonRoot(true)
                .runAsUser(RUN_AS_USER)
                .runAsGroup(RUN_AS_USER)
                .fsGroup(RUN_AS_USER)
                .seccompProfile(new V1SeccompProfile().type("RuntimeDefault"));
    }

    private static void check(FunctionSpec spec) {
        checkName(spec);
        if (spec.getImage().isBlank()) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + spec.getName()
                    + ": image: missing; the Kubernetes backend runs a function from its image: build and push"
                    + " one, then set image in config.yaml");
        }
        if (spec.getImage().chars().anyMatch(Character::isWhitespace)) {
            throw invalid(spec, "image: '" + spec.getImage() + "' contains white space");
        }
        if (spec.getReplicas() < 0) {
            throw invalid(spec, "replicas: " + spec.getReplicas() + " (expected: >= 0)");
        }
    }

    /** Service names are DNS-1035 labels: a function name that starts with a digit cannot be one. */
    private static void checkName(FunctionSpec spec) {
        requireNonNull(spec, "spec");
        if (!KubernetesNames.isDns1035Label(spec.getName())) {
            throw new InvalidFunctionSpecException("name: '" + spec.getName()
                    + "' cannot be a function name on Kubernetes (expected: lower case letters, digits and '-',"
                    + " starting with a letter and ending with a letter or digit, at most 63 characters;"
                    + " a Service name is a DNS-1035 label)");
        }
    }
}
