package io.dcf.gateway.backend.kubernetes;

import io.dcf.proto.v1.FunctionStatus;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;

/** A function's status from its Deployment (the record) and its pods (the replicas). Pure. */
final class FunctionStatuses {

    private FunctionStatuses() {
    }

    /** The status; {@code pods} in name order, each replica's index its position there. */
    static FunctionStatus of(V1Deployment deployment, List<V1Pod> pods, int port) {
        FunctionStatus.Builder status = FunctionRecord.read(deployment).toBuilder();
        int ready = 0;
        for (int i = 0; i < pods.size(); i++) {
            V1Pod pod = pods.get(i);
            status.addReplicaStatuses(PodStates.replica(pod, i, port));
            if (PodStates.ready(pod)) {
                ready++;
            }
        }
        return status.setReadyReplicas(ready).build();
    }
}
