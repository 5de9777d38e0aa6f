package io.dcf.gateway.backend.kubernetes;

import io.dcf.proto.v1.ReplicaStatus;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a pod's status means to a user, as {@code dcf function info} shows it: READY (in
 * rotation), STARTING (scheduled or pulling, not failed yet), NOT_READY (with the reason
 * such as ImagePullBackOff or CrashLoopBackOff), STOPPING (being deleted), STOPPED (its
 * containers ended); restarts, and the last termination reason such as OOMKilled. Pure.
 */
final class PodStates {

    /** Waiting reasons that do not heal by waiting: a deploy that meets them at its deadline fails. */
    static final Set<String> FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
            "ErrImageNeverPull");

    private PodStates() {
    }

    /** Whether the pod serves: Ready, with an IP, not being deleted. */
    static boolean ready(V1Pod pod) {
        V1PodStatus status = pod.getStatus();
        if (status == null || status.getPodIP() == null || status.getPodIP().isEmpty()
                || pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        return condition(status, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** When the pod's Ready condition last turned true; empty when it is not ready or does not say. */
    static Optional<OffsetDateTime> readySince(V1Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        return condition(pod.getStatus(), "Ready").filter(c -> "True".equals(c.getStatus()))
                .map(V1PodCondition::getLastTransitionTime);
    }

    /** From the pod's creation to its Ready condition: its cold start (image pull and start included). */
    static Optional<Duration> coldStart(V1Pod pod) {
        OffsetDateTime created = pod.getMetadata().getCreationTimestamp();
        return created == null ? Optional.empty()
                : readySince(pod).map(ready -> Duration.between(created, ready)).filter(d -> !d.isNegative());
    }

    /** The pod's failure reason when it is one of {@link #FAILURES}, with the kubelet's message. */
    static Optional<String> failure(V1Pod pod) {
        return container(pod).map(V1ContainerStatus::getState).map(V1ContainerState::getWaiting)
                .filter(w -> FAILURES.contains(w.getReason())).map(PodStates::describe);
    }

    /** The pod as one replica's status; {@code index} is its position in name order. */
    static ReplicaStatus replica(V1Pod pod, int index, int port) {
        ReplicaStatus.Builder replica = ReplicaStatus.newBuilder().setIndex(index).setName(pod.getMetadata().getName());
        V1PodStatus status = pod.getStatus() == null ? new V1PodStatus() : pod.getStatus();
        if (status.getPodIP() != null && !status.getPodIP().isEmpty()) {
            replica.setEndpoint(status.getPodIP() + ":" + port);
        }
        Optional<V1ContainerStatus> container = container(pod);
        container.ifPresent(c -> replica.setRestarts(c.getRestartCount() == null ? 0 : c.getRestartCount()));
        String lastExit = container.map(V1ContainerStatus::getLastState).map(V1ContainerState::getTerminated)
                .map(PodStates::describe).orElse("");
        Optional<V1ContainerStateWaiting> waiting = container.map(V1ContainerStatus::getState)
                .map(V1ContainerState::getWaiting);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return replica.setState("STOPPING").setMessage(lastExit).build();
        }
        if (ready(pod)) {
            return replica.setState("READY").setMessage(lastExit.isEmpty() ? "" : "last exit: " + lastExit).build();
        }
        if (waiting.isPresent() && FAILURES.contains(waiting.get().getReason())) {
            String message = describe(waiting.get());
            return replica.setState("NOT_READY")
                    .setMessage(lastExit.isEmpty() ? message : message + "; last exit: " + lastExit).build();
        }
        String phase = status.getPhase() == null ? "Pending" : status.getPhase();
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            String exit = container.map(V1ContainerStatus::getState).map(V1ContainerState::getTerminated)
                    .map(PodStates::describe).orElse(lastExit);
            return replica.setState("STOPPED").setMessage(phase + (exit.isEmpty() ? "" : ": " + exit)).build();
        }
        if (phase.equals("Pending")) {
            return replica.setState("STARTING").setMessage(pending(status, waiting)).build();
        }
        String why = container.map(V1ContainerStatus::getState).map(V1ContainerState::getTerminated)
                .map(t -> "exited: " + describe(t)).orElse("not ready (its readiness probe fails)");
        return replica.setState("NOT_READY").setMessage(lastExit.isEmpty() ? why : why + "; last exit: " + lastExit)
                .build();
    }

    private static String pending(V1PodStatus status, Optional<V1ContainerStateWaiting> waiting) {
        if (waiting.isPresent() && waiting.get().getReason() != null) {
            return describe(waiting.get());
        }
        return condition(status, "PodScheduled").filter(c -> "False".equals(c.getStatus()))
                .map(c -> (c.getReason() == null ? "Unschedulable" : c.getReason())
                        + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .orElse("");
    }

    private static String describe(V1ContainerStateWaiting waiting) {
        String reason = waiting.getReason() == null ? "Waiting" : waiting.getReason();
        return waiting.getMessage() == null || waiting.getMessage().isBlank() ? reason
                : reason + ": " + waiting.getMessage();
    }

    /** E.g. "OOMKilled (exit code 137)". */
    private static String describe(V1ContainerStateTerminated terminated) {
        String reason = terminated.getReason() == null ? "Terminated" : terminated.getReason();
        return reason + " (exit code " + terminated.getExitCode() + ")";
    }

    private static Optional<V1ContainerStatus> container(V1Pod pod) {
        List<V1ContainerStatus> containers = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return containers == null || containers.isEmpty() ? Optional.empty() : Optional.of(containers.get(0));
    }

    private static Optional<V1PodCondition> condition(V1PodStatus status, String type) {
        return status.getConditions() == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
