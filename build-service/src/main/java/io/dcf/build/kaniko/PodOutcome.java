package io.dcf.build.kaniko;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a build Job and its pod are, read from their status. Pure: {@link KanikoImageBuilder}
 * acts on it (follows the log, reads the fetcher's log, reports the failure).
 */
sealed interface PodOutcome {

    /** Waiting reasons that never heal by waiting: the build fails at once, naming the image. */
    Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** No pod yet, or its containers have not started. */
    record Pending() implements PodOutcome {
    }

    /** The executor runs: its log can be followed. */
    record Running(String pod) implements PodOutcome {
    }

    /** The executor exited 0; {@code message} is its termination message, the digest. */
    record Succeeded(String pod, String message) implements PodOutcome {
    }

    /**
     * The build failed.
     *
     * @param pod      the pod, or null when the Job failed without one
     * @param reason   what to tell the user
     * @param logOf    whose log tail explains it: {@link KanikoJobSpecs#EXECUTOR}, {@link KanikoJobSpecs#FETCHER}, or null
     */
    record Failed(String pod, String reason, String logOf) implements PodOutcome {
    }

    /** The outcome of {@code job} (may be null) and its pod (null when there is none yet). */
    static PodOutcome of(V1Job job, V1Pod pod) {
        if (pod != null) {
            PodOutcome outcome = ofPod(pod);
            if (!(outcome instanceof Pending)) {
                return outcome;
            }
        }
        V1JobCondition failed = failedCondition(job);
        if (failed != null) {
            String name = pod == null ? null : pod.getMetadata().getName();
            if ("DeadlineExceeded".equals(failed.getReason())) {
                return new Failed(name, "the build Job ran past its deadline (activeDeadlineSeconds "
                        + job.getSpec().getActiveDeadlineSeconds() + ", DeadlineExceeded)", KanikoJobSpecs.EXECUTOR);
            }
            return new Failed(name, "the build Job failed: " + failed.getReason() + ": "
                    + Objects.requireNonNullElse(failed.getMessage(), ""), null);
        }
        return new Pending();
    }

    private static PodOutcome ofPod(V1Pod pod) {
        String name = pod.getMetadata().getName();
        List<V1ContainerStatus> init = pod.getStatus() == null ? null : pod.getStatus().getInitContainerStatuses();
        List<V1ContainerStatus> main = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        V1ContainerStatus fetcher = find(init, KanikoJobSpecs.FETCHER);
        V1ContainerStatus executor = find(main, KanikoJobSpecs.EXECUTOR);
        PodOutcome pull = pullFailure(pod, fetcher);
        if (pull == null) {
            pull = pullFailure(pod, executor);
        }
        if (pull != null) {
            return pull;
        }
        V1ContainerStateTerminated fetched = terminated(fetcher);
        if (fetched != null && !Integer.valueOf(0).equals(fetched.getExitCode())) {
            return new Failed(name, "the build context could not be fetched (init container " + KanikoJobSpecs.FETCHER
                    + " exited with code " + fetched.getExitCode() + ")", KanikoJobSpecs.FETCHER);
        }
        V1ContainerStateTerminated done = terminated(executor);
        if (done != null) {
            int code = Objects.requireNonNullElse(done.getExitCode(), -1);
            if (code == 0) {
                return new Succeeded(name, Objects.requireNonNullElse(done.getMessage(), "").strip());
            }
            if ("OOMKilled".equals(done.getReason())) {
                return new Failed(name, "the Kaniko executor ran out of memory (OOMKilled, exit code " + code
                        + "; raise dcf.build.kaniko.executor.memory-limit)", KanikoJobSpecs.EXECUTOR);
            }
            return new Failed(name, "the Kaniko executor exited with code " + code
                    + (done.getReason() == null || "Error".equals(done.getReason()) ? "" : " (" + done.getReason() + ")"),
                    KanikoJobSpecs.EXECUTOR);
        }
        V1ContainerState state = executor == null ? null : executor.getState();
        if (state != null && state.getRunning() != null) {
            return new Running(name);
        }
        return new Pending();
    }

    private static PodOutcome pullFailure(V1Pod pod, V1ContainerStatus status) {
        V1ContainerStateWaiting waiting = status == null || status.getState() == null ? null
                : status.getState().getWaiting();
        if (waiting == null || !PULL_FAILURES.contains(waiting.getReason())) {
            return null;
        }
        String image = image(pod, status.getName());
        return new Failed(pod.getMetadata().getName(), "cannot pull image " + image + " of container "
                + status.getName() + ": " + waiting.getReason()
                + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()), null);
    }

    private static String image(V1Pod pod, String container) {
        if (pod.getSpec() != null) {
            for (List<V1Container> containers : List.of(
                    Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.<V1Container>of()),
                    Objects.requireNonNullElse(pod.getSpec().getContainers(), List.<V1Container>of()))) {
                for (V1Container c : containers) {
                    if (container.equals(c.getName())) {
                        return c.getImage();
                    }
                }
            }
        }
        return "(unknown)";
    }

    private static V1ContainerStatus find(List<V1ContainerStatus> statuses, String name) {
        return statuses == null ? null : statuses.stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
    }

    private static V1ContainerStateTerminated terminated(V1ContainerStatus status) {
        return status == null || status.getState() == null ? null : status.getState().getTerminated();
    }

    private static V1JobCondition failedCondition(V1Job job) {
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return null;
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
    }
}
