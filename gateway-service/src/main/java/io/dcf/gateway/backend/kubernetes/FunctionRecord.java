package io.dcf.gateway.backend.kubernetes;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.version.FunctionVersions;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.grpc.Status;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * A function's record kept on its Deployment (the cluster is the store; the gateway is
 * stateless): the spec and the generation, which the spec builders write
 * ({@link FunctionMetadata}), and the created and updated times, written here.
 */
final class FunctionRecord {

    static final String CREATED = FunctionMetadata.PREFIX + "created";
    static final String UPDATED = FunctionMetadata.PREFIX + "updated";

    private FunctionRecord() {
    }

    /**
     * The Deployment of {@code record} with its version history: {@code versions} (which holds
     * {@code record}'s version as the current one), bounded to {@link FunctionMetadata#MAX_VERSIONS_BYTES}.
     */
    static V1Deployment deployment(FunctionStatus record, KubernetesSettings settings, FunctionVersions versions) {
        V1Deployment deployment = deployment(record, settings);
        deployment.getMetadata().putAnnotationsItem(FunctionMetadata.VERSIONS,
                versions.boundedTo(FunctionMetadata.MAX_VERSIONS_BYTES).toJson());
        return deployment;
    }

    /**
     * The version history recorded on a Deployment; empty when it has none (deployed by an older
     * gateway) or it is unreadable.
     */
    static FunctionVersions versions(V1Deployment deployment) {
        V1ObjectMeta meta = deployment.getMetadata();
        String name = meta.getName();
        String json = meta.getAnnotations() == null ? null : meta.getAnnotations().get(FunctionMetadata.VERSIONS);
        if (json == null) {
            return FunctionVersions.empty(name);
        }
        try {
            return FunctionVersions.fromJson(name, json);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return FunctionVersions.empty(name);
        }
    }

    /** The Deployment of {@code record} (its spec at its generation), with its times written on it. */
    static V1Deployment deployment(FunctionStatus record, KubernetesSettings settings) {
        V1Deployment deployment = DeploymentSpecs.deployment(record.getSpec(), settings, record.getGeneration());
        V1ObjectMeta meta = deployment.getMetadata();
        Map<String, String> annotations = new HashMap<>(meta.getAnnotations() == null ? Map.of()
                : meta.getAnnotations());
        annotations.put(CREATED, Timestamps.toString(record.getCreated()));
        annotations.put(UPDATED, Timestamps.toString(record.getUpdated()));
        meta.setAnnotations(annotations);
        return deployment;
    }

    /**
     * The record read back from a Deployment: its spec (with the Deployment's replica count,
     * which {@code scale} changes), generation and times.
     *
     * @throws DcfException FAILED_PRECONDITION when the Deployment carries no readable spec
     */
    static FunctionStatus read(V1Deployment deployment) {
        V1ObjectMeta meta = deployment.getMetadata();
        FunctionSpec.Builder spec = FunctionMetadata.spec(meta).orElseThrow(() -> new DcfException(
                Status.Code.FAILED_PRECONDITION, "Deployment " + meta.getNamespace() + "/" + meta.getName()
                + " has no readable " + FunctionMetadata.SPEC + " annotation: it was not deployed by dcf"))
                .toBuilder();
        Map<String, String> annotations = meta.getAnnotations();
        int replicas = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
                ? spec.getReplicas() : deployment.getSpec().getReplicas();
        return FunctionStatus.newBuilder()
                .setSpec(spec.setReplicas(replicas))
                .setReplicas(replicas)
                .setGeneration(FunctionMetadata.generation(meta))
                .setCreated(time(annotations.get(CREATED)))
                .setUpdated(time(annotations.get(UPDATED)))
                .build();
    }

    /** The generation a pod runs (its template's annotation); 0 when it says none. */
    static long generation(V1Pod pod) {
        return FunctionMetadata.generation(pod.getMetadata());
    }

    private static Timestamp time(String text) {
        if (text == null) {
            return Timestamp.getDefaultInstance();
        }
        try {
            return Timestamps.parse(text);
        } catch (ParseException e) {
            return Timestamp.getDefaultInstance();
        }
    }
}
