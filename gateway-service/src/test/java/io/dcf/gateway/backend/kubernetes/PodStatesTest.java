package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.proto.v1.ReplicaStatus;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code dcf function info} shows for each pod state the kubelet reports. */
class PodStatesTest {

    private static V1Pod pod(String phase, boolean ready, V1ContainerState state, V1ContainerState last, int restarts) {
        V1PodStatus status = new V1PodStatus().phase(phase).podIP("10.244.0.7")
                .conditions(List.of(new V1PodCondition().type("Ready").status(ready ? "True" : "False")));
        if (state != null) {
            status.containerStatuses(List.of(new V1ContainerStatus().name("function").image("i").imageID("")
                    .ready(ready).restartCount(restarts).state(state).lastState(last)));
        }
        return new V1Pod().metadata(new V1ObjectMeta().name("echo-7d9f-abcde").uid("u1")).status(status);
    }

    private static V1ContainerState running() {
        return new V1ContainerState().running(new V1ContainerStateRunning());
    }

    private static V1ContainerState waiting(String reason, String message) {
        return new V1ContainerState().waiting(new V1ContainerStateWaiting().reason(reason).message(message));
    }

    private static V1ContainerState terminated(String reason, int code) {
        return new V1ContainerState().terminated(new V1ContainerStateTerminated().reason(reason).exitCode(code));
    }

    @Test
    void ready_isInRotationWithItsEndpointAndName() {
        ReplicaStatus r = PodStates.replica(pod("Running", true, running(), null, 0), 2, 50051);

        assertThat(r.getState()).isEqualTo("READY");
        assertThat(r.getIndex()).isEqualTo(2);
        assertThat(r.getName()).isEqualTo("echo-7d9f-abcde");
        assertThat(r.getEndpoint()).isEqualTo("10.244.0.7:50051");
        assertThat(r.getMessage()).isEmpty();
        assertThat(PodStates.ready(pod("Running", true, running(), null, 0))).isTrue();
    }

    @Test
    void readyAfterAnOomKill_saysTheLastExit() {
        ReplicaStatus r = PodStates.replica(pod("Running", true, running(), terminated("OOMKilled", 137), 1), 0, 50051);

        assertThat(r.getState()).isEqualTo("READY");
        assertThat(r.getRestarts()).isEqualTo(1);
        assertThat(r.getMessage()).isEqualTo("last exit: OOMKilled (exit code 137)");
    }

    @Test
    void imagePullBackOff_isNotReadyWithTheKubeletsReason_andAFailure() {
        V1Pod pod = pod("Pending", false, waiting("ImagePullBackOff", "Back-off pulling image \"r/x:1\""), null, 0);

        ReplicaStatus r = PodStates.replica(pod, 0, 50051);

        assertThat(r.getState()).isEqualTo("NOT_READY");
        assertThat(r.getMessage()).isEqualTo("ImagePullBackOff: Back-off pulling image \"r/x:1\"");
        assertThat(PodStates.failure(pod)).contains("ImagePullBackOff: Back-off pulling image \"r/x:1\"");
    }

    @Test
    void crashLoop_isNotReadyWithRestartsAndTheLastExit() {
        V1Pod pod = pod("Running", false, waiting("CrashLoopBackOff", "back-off 20s"), terminated("Error", 1), 3);

        ReplicaStatus r = PodStates.replica(pod, 0, 50051);

        assertThat(r.getState()).isEqualTo("NOT_READY");
        assertThat(r.getRestarts()).isEqualTo(3);
        assertThat(r.getMessage()).isEqualTo("CrashLoopBackOff: back-off 20s; last exit: Error (exit code 1)");
        assertThat(PodStates.failure(pod)).isPresent();
    }

    @Test
    void creatingOrUnschedulable_isStarting_andNoFailureYet() {
        V1Pod creating = pod("Pending", false, waiting("ContainerCreating", null), null, 0);
        V1Pod unschedulable = pod("Pending", false, null, null, 0);
        unschedulable.getStatus().podIP(null).conditions(List.of(new V1PodCondition().type("PodScheduled")
                .status("False").reason("Unschedulable")
                .message("0/1 nodes are available: 1 Insufficient nvidia.com/gpu.")));

        assertThat(PodStates.replica(creating, 0, 50051).getState()).isEqualTo("STARTING");
        assertThat(PodStates.replica(creating, 0, 50051).getMessage()).isEqualTo("ContainerCreating");
        assertThat(PodStates.failure(creating)).isEmpty();
        ReplicaStatus r = PodStates.replica(unschedulable, 0, 50051);
        assertThat(r.getState()).isEqualTo("STARTING");
        assertThat(r.getMessage()).isEqualTo("Unschedulable: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.");
        assertThat(r.getEndpoint()).isEmpty();
    }

    @Test
    void runningButNotReady_isNotReadySayingTheProbeFails() {
        ReplicaStatus r = PodStates.replica(pod("Running", false, running(), null, 0), 0, 50051);

        assertThat(r.getState()).isEqualTo("NOT_READY");
        assertThat(r.getMessage()).isEqualTo("not ready (its readiness probe fails)");
    }

    @Test
    void beingDeleted_isStoppingAndOutOfRotation() {
        V1Pod pod = pod("Running", true, running(), null, 0);
        pod.getMetadata().deletionTimestamp(OffsetDateTime.now());

        assertThat(PodStates.replica(pod, 0, 50051).getState()).isEqualTo("STOPPING");
        assertThat(PodStates.ready(pod)).isFalse();
    }

    @Test
    void endedContainer_isStopped() {
        ReplicaStatus r = PodStates.replica(pod("Failed", false, terminated("Error", 2), null, 0), 0, 50051);

        assertThat(r.getState()).isEqualTo("STOPPED");
        assertThat(r.getMessage()).isEqualTo("Failed: Error (exit code 2)");
    }
}
