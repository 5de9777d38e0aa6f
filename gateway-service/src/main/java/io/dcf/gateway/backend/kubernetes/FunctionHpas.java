package io.dcf.gateway.backend.kubernetes;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.scale.ScaleSpecs;
import io.grpc.Status;
import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AutoscalingApi;
import io.kubernetes.client.openapi.apis.AutoscalingV2Api;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HorizontalPodAutoscalers of functions in {@code scale.mode: hpa}: made or replaced with
 * the function (owned by its Deployment, so the cluster deletes it with the Deployment), deleted
 * when a function leaves hpa mode. The version is {@code autoscaling/v2} where the API server
 * serves it, else {@code autoscaling/v2beta2} (Kubernetes 1.20), read once on first use; the
 * requests are client-java's v2 ones with the path's version swapped (the bodies are the same).
 */
final class FunctionHpas {

    private static final Logger log = LoggerFactory.getLogger(FunctionHpas.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final ApiClient api;
    private final AutoscalingV2Api v2;
    private final KubernetesSettings settings;
    private volatile String apiVersion;

    FunctionHpas(ApiClient api, KubernetesSettings settings) {
        this.api = api;
        this.v2 = new AutoscalingV2Api(api);
        this.settings = settings;
    }

    /** Makes the function's HPA what its spec says: created or replaced in hpa mode, deleted otherwise. */
    void sync(FunctionSpec spec, V1Deployment owner) {
        String name = spec.getName();
        if (!ScaleSpecs.hpa(spec)) {
            if (send("delete", name, null) != 404) {
                log.info("Deleted the HorizontalPodAutoscaler of function={} namespace={}", name, settings.namespace());
            }
            return;
        }
        V2HorizontalPodAutoscaler hpa = HpaSpecs.hpa(spec, settings, apiVersion());
        hpa.getMetadata().setOwnerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1").kind("Deployment")
                .name(owner.getMetadata().getName()).uid(owner.getMetadata().getUid())));
        try {
            send("create", name, hpa);
        } catch (DcfException e) {
            if (e.code() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
            send("replace", name, hpa);
        }
        log.info("HorizontalPodAutoscaler of function={} namespace={} version={} replicas={}-{} target={}", name,
                settings.namespace(), apiVersion(), hpa.getSpec().getMinReplicas(), hpa.getSpec().getMaxReplicas(),
                ScaleSpecs.target(spec, HpaSpecs.DEFAULT_TARGET));
    }

    private int send(String verb, String name, V2HorizontalPodAutoscaler body) {
        String ns = settings.namespace();
        return KubernetesErrors.send(verb, "HorizontalPodAutoscaler", ns, name, raw(() -> {
            Request request = switch (verb) {
                case "create" -> v2.createNamespacedHorizontalPodAutoscaler(ns, body).buildCall(null).request();
                case "replace" -> v2.replaceNamespacedHorizontalPodAutoscaler(name, ns, body).buildCall(null).request();
                default -> v2.deleteNamespacedHorizontalPodAutoscaler(name, ns).buildCall(null).request();
            };
            Request.Builder b = request.newBuilder()
                    .url(request.url().toString().replace("/apis/" + HpaSpecs.V2 + "/", "/apis/" + apiVersion() + "/"));
            if (body != null) {
                b.method(request.method(), RequestBody.create(api.getJSON().serialize(body), JSON));
            }
            return b.build();
        }));
    }

    private okhttp3.Call raw(KubernetesErrors.ApiCall<Request> request) {
        try {
            return api.getHttpClient().newCall(request.call());
        } catch (ApiException e) {
            throw KubernetesErrors.map(e, "prepare", "request in namespace", settings.namespace(), "");
        }
    }

    private String apiVersion() {
        String version = apiVersion;
        if (version == null) {
            List<String> served;
            try {
                V1APIGroup group = new AutoscalingApi(api).getAPIGroup().execute();
                served = group.getVersions().stream().map(V1GroupVersionForDiscovery::getVersion).toList();
            } catch (ApiException | RuntimeException e) {
                String why = String.valueOf(e.getMessage());
                log.warn("Cannot read the autoscaling versions the API server serves ({}): using {}",
                        why.length() > 200 ? why.substring(0, 200) + "..." : why, HpaSpecs.V2);
                served = List.of("v2");
            }
            version = HpaSpecs.apiVersion(served);
            apiVersion = version;
        }
        return version;
    }
}
