package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.FunctionMetadata.invalid;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1GRPCAction;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one container of a function's pod: the function's image, whose entrypoint is its
 * runtime's watcher, serving on {@value WatcherContract#CONTAINER_PORT} (named
 * {@value #PORT_NAME}), with the watcher contract's environment, probes on the watcher's
 * health, a locked-down security context and the mounts of {@link PodVolumes}. Pure.
 */
final class ContainerSpecs {

    static final String PORT_NAME = "grpc";

    private ContainerSpecs() {
    }

    static V1Container container(FunctionSpec spec, KubernetesSettings settings) {
        return new V1Container()
                .name(spec.getName())
                .image(spec.getImage())
                .imagePullPolicy(settings.imagePullPolicy())
                .ports(List.of(new V1ContainerPort().name(PORT_NAME).containerPort(WatcherContract.CONTAINER_PORT)
                        .protocol("TCP")))
                .env(env(spec, settings))
                .resources(ResourceSpecs.resources(spec, settings))
                .startupProbe(probe(settings).periodSeconds(2).timeoutSeconds(2).failureThreshold(60))
                .readinessProbe(probe(settings).periodSeconds(2).timeoutSeconds(2).failureThreshold(2))
                .livenessProbe(probe(settings).periodSeconds(10).timeoutSeconds(5).failureThreshold(3))
                .securityContext(securityContext())
                .volumeMounts(PodVolumes.mounts(spec))
                .terminationMessagePolicy("FallbackToLogsOnError");
    }

    /**
     * The watcher contract's variables over the spec's {@code environment}, in that order, each
     * value escaped ({@code $} as {@code $$}) so that Kubernetes passes it as written instead of
     * expanding {@code $(NAME)} references, as the local backend does.
     */
    static List<V1EnvVar> env(FunctionSpec spec, KubernetesSettings settings) {
        for (String name : spec.getEnvironmentMap().keySet()) {
            if (!KubernetesNames.isEnvVarName(name)) {
                throw invalid(spec, "environment: '" + name + "' is not a valid variable name (expected: letters,"
                        + " digits, '_', '-' and '.', not starting with a digit)");
            }
        }
        Map<String, String> env = WatcherContract.of(spec, settings.defaultTimeout())
                .maxConcurrency(settings.maxConcurrency())
                .drainTimeout(settings.drainTimeout())
                .maxMessageBytes(settings.maxMessageBytes())
                .environment(Map.of());
        List<V1EnvVar> vars = new ArrayList<>(env.size());
        env.forEach((name, value) -> vars.add(new V1EnvVar().name(name).value(value.replace("$", "$$"))));
        return vars;
    }

    /**
     * A probe of the watcher: gRPC health ({@code grpc.health.v1}, service {@code ""}) where the
     * API server runs gRPC probes, else a TCP connect to its port. The startup probe gives a
     * handler 120 s to load (health answers NOT_SERVING meanwhile); readiness then takes a pod
     * out of rotation after 4 s of NOT_SERVING (a drain); liveness restarts one that stops
     * answering for 30 s.
     */
    static V1Probe probe(KubernetesSettings settings) {
        V1Probe probe = new V1Probe().successThreshold(1);
        if (settings.grpcProbes()) {
            return probe.grpc(new V1GRPCAction().port(WatcherContract.CONTAINER_PORT));
        }
        return probe.tcpSocket(new V1TCPSocketAction().port(new IntOrString(WatcherContract.CONTAINER_PORT)));
    }

    /** No privilege escalation, no capabilities, a read-only root file system (/tmp is an emptyDir). */
    static V1SecurityContext securityContext() {
        return new V1SecurityContext()
                .allowPrivilegeEscalation(false)
                .privileged(false)
                .readOnlyRootFilesystem(true)
                .runAsNonRoot(true)
                .capabilities(new V1Capabilities().drop(List.of("ALL")));
    }
}
