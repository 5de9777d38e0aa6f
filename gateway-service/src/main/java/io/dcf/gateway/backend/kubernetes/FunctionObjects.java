package io.dcf.gateway.backend.kubernetes;

import com.google.gson.JsonObject;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API requests on a function's objects (its Deployment and Service), each with the
 * request client's deadline and its errors mapped by {@link KubernetesErrors}.
 */
final class FunctionObjects {

    private static final Logger log = LoggerFactory.getLogger(FunctionObjects.class);

    private static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");

    private final AppsV1Api apps;
    private final CoreV1Api core;
    private final String namespace;

    FunctionObjects(AppsV1Api apps, CoreV1Api core, String namespace) {
        this.apps = apps;
        this.core = core;
        this.namespace = namespace;
    }

    V1Deployment createDeployment(V1Deployment deployment) {
        return KubernetesErrors.call("create", "Deployment", namespace, deployment.getMetadata().getName(),
                () -> apps.createNamespacedDeployment(namespace, deployment).execute());
    }

    /** Creates the Service, owned by the Deployment (the cluster deletes it with the Deployment too). */
    void createService(V1Service service, V1Deployment owner) {
        service.getMetadata().setOwnerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1")
                .kind("Deployment").name(owner.getMetadata().getName()).uid(owner.getMetadata().getUid())));
        KubernetesErrors.call("create", "Service", namespace, service.getMetadata().getName(),
                () -> core.createNamespacedService(namespace, service).execute());
    }

    /** Creates the Service when it is missing (deleted by hand, or by an older gateway's failure). */
    void ensureService(V1Service service, V1Deployment owner) {
        String name = service.getMetadata().getName();
        if (readService(name).isEmpty()) {
            log.info("Recreating missing Service namespace={} function={}", namespace, name);
            createService(service, owner);
        }
    }

    Optional<V1Deployment> readDeployment(String name) {
        try {
            return Optional.of(apps.readNamespacedDeployment(name, namespace).execute());
        } catch (ApiException e) {
            if (KubernetesErrors.notFound(e)) {
                return Optional.empty();
            }
            throw KubernetesErrors.map(e, "read", "Deployment", namespace, name);
        }
    }

    V1Deployment replaceDeployment(V1Deployment deployment) {
        String name = deployment.getMetadata().getName();
        return KubernetesErrors.call("replace", "Deployment", namespace, name,
                () -> apps.replaceNamespacedDeployment(name, namespace, deployment).execute());
    }

    /** Sets {@code spec.replicas} through the Deployment's scale subresource (a merge patch). */
    void scale(String name, int replicas) {
        RequestBody patch = RequestBody.create("{\"spec\":{\"replicas\":" + replicas + "}}", MERGE_PATCH);
        int code = KubernetesErrors.send("scale", "Deployment", namespace, name, raw(() -> {
            Request request = apps.patchNamespacedDeploymentScale(name, namespace, new V1Patch("{}"))
                    .buildCall(null).request();
            return request.newBuilder().patch(patch).build();
        }));
        if (code == 404) {
            throw new FunctionNotFoundException(name);
        }
    }

    /**
     * Pins an autoscaled function: one merge patch of the Deployment's {@code spec.replicas} and
     * its stored spec annotation (on the Deployment only: the pods do not roll).
     */
    void pin(String name, String specJson, int replicas) {
        JsonObject annotations = new JsonObject();
        annotations.addProperty(FunctionMetadata.SPEC, specJson);
        JsonObject metadata = new JsonObject();
        metadata.add("annotations", annotations);
        JsonObject spec = new JsonObject();
        spec.addProperty("replicas", replicas);
        JsonObject body = new JsonObject();
        body.add("metadata", metadata);
        body.add("spec", spec);
        RequestBody patch = RequestBody.create(body.toString(), MERGE_PATCH);
        int code = KubernetesErrors.send("pin", "Deployment", namespace, name, raw(() -> {
            Request request = apps.patchNamespacedDeployment(name, namespace, new V1Patch("{}"))
                    .buildCall(null).request();
            return request.newBuilder().patch(patch).build();
        }));
        if (code == 404) {
            throw new FunctionNotFoundException(name);
        }
    }

    /**
     * Deletes the function's Deployment (its pods follow: background propagation) and, when
     * {@code service}, its Service; each only when dcf manages it. A NotFound does not stop
     * the other.
     *
     * @return whether there was anything to delete
     */
    boolean deleteAll(String name, boolean service) {
        boolean found = false;
        if (readDeployment(name).filter(d -> managed(d.getMetadata().getLabels())).isPresent()) {
            found |= KubernetesErrors.send("delete", "Deployment", namespace, name, raw(() ->
                    apps.deleteNamespacedDeployment(name, namespace)
                            .body(new V1DeleteOptions().propagationPolicy("Background")).buildCall(null).request()))
                    != 404;
        }
        if (service && readService(name).filter(s -> managed(s.getMetadata().getLabels())).isPresent()) {
            found |= KubernetesErrors.send("delete", "Service", namespace, name, raw(() ->
                    core.deleteNamespacedService(name, namespace).buildCall(null).request())) != 404;
        }
        return found;
    }

    /** Best effort after a failed deploy: removes what it created; failures are logged, not thrown. */
    void removeCreated(String name, boolean service) {
        try {
            deleteAll(name, service);
        } catch (RuntimeException e) {
            log.warn("Could not remove the objects of the failed deploy of function={} namespace={}: {}", name,
                    namespace, e.getMessage());
        }
    }

    private Optional<V1Service> readService(String name) {
        try {
            return Optional.of(core.readNamespacedService(name, namespace).execute());
        } catch (ApiException e) {
            if (KubernetesErrors.notFound(e)) {
                return Optional.empty();
            }
            throw KubernetesErrors.map(e, "read", "Service", namespace, name);
        }
    }

    /** A call of the request client for {@code request} (built by the generated API, sent as is). */
    private okhttp3.Call raw(KubernetesErrors.ApiCall<Request> request) {
        try {
            return apps.getApiClient().getHttpClient().newCall(request.call());
        } catch (ApiException e) {
            throw KubernetesErrors.map(e, "prepare", "request in namespace", namespace, "");
        }
    }

    private static boolean managed(Map<String, String> labels) {
        return labels != null && FunctionMetadata.DCF.equals(labels.get(FunctionMetadata.MANAGED_BY_LABEL));
    }
}
