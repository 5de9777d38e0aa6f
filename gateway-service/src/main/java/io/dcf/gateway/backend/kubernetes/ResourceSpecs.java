package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.FunctionMetadata.invalid;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.Resources;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.QuantityFormatException;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * A function's {@code limits} and {@code requests} as a container's resources: {@code cpu},
 * {@code memory} and {@code gpu} (as {@value #GPU}). Each value must be a Kubernetes
 * quantity; a request may not exceed its limit; a GPU count is a whole number and is both
 * the limit and the request (Kubernetes does not overcommit extended resources). Fields the
 * spec leaves empty take the settings' defaults. Pure.
 */
final class ResourceSpecs {

    /** The NVIDIA device plugin's resource name. */
    static final String GPU = "nvidia.com/gpu";

    private ResourceSpecs() {
    }

    static V1ResourceRequirements resources(FunctionSpec spec, KubernetesSettings settings) {
        Map<String, Quantity> limits = new TreeMap<>();
        Map<String, Quantity> requests = new TreeMap<>();
        for (String resource : new String[] {"cpu", "memory"}) {
            Quantity limit = field(spec, spec.getLimits(), settings.defaultLimits(), "limits", resource);
            Quantity request = field(spec, spec.getRequests(), null, "requests", resource);
            if (request == null) {
                // A default request above the function's own limit gives way to the limit.
                request = field(spec, settings.defaultRequests(), null, "requests", resource);
                if (request != null && limit != null && request.getNumber().compareTo(limit.getNumber()) > 0) {
                    request = limit;
                }
            }
            if (limit != null && request != null && request.getNumber().compareTo(limit.getNumber()) > 0) {
                throw invalid(spec, "requests." + resource + ": " + request.toSuffixedString() + " exceeds limits."
                        + resource + " " + limit.toSuffixedString() + " (expected: a request at most its limit)");
            }
            if (limit != null) {
                limits.put(resource, limit);
            }
            if (request != null) {
                requests.put(resource, request);
            }
        }
        Quantity gpu = gpu(spec);
        if (gpu != null) {
            limits.put(GPU, gpu);
            requests.put(GPU, gpu);
        }
        V1ResourceRequirements resources = new V1ResourceRequirements();
        if (!limits.isEmpty()) {
            resources.limits(limits);
        }
        if (!requests.isEmpty()) {
            resources.requests(requests);
        }
        return resources;
    }

    /** The GPUs a function asks for; null for none. */
    static Quantity gpu(FunctionSpec spec) {
        Quantity limit = gpuField(spec, "limits.gpu", spec.getLimits().getGpu());
        Quantity request = gpuField(spec, "requests.gpu", spec.getRequests().getGpu());
        if (limit != null && request != null && limit.getNumber().compareTo(request.getNumber()) != 0) {
            throw invalid(spec, "requests.gpu: " + request.toSuffixedString() + " differs from limits.gpu "
                    + limit.toSuffixedString() + " (expected: the same number, or only limits.gpu)");
        }
        return limit != null ? limit : request;
    }

    private static Quantity gpuField(FunctionSpec spec, String field, String value) {
        Quantity q = quantity(spec, field, value);
        if (q == null || q.getNumber().signum() == 0) {
            return null;
        }
        if (q.getNumber().stripTrailingZeros().scale() > 0) {
            throw invalid(spec, field + ": '" + value + "' (expected: a whole number of GPUs, such as 1)");
        }
        return new Quantity(q.getNumber().stripTrailingZeros().toPlainString());
    }

    /** {@code resources}' cpu or memory, else {@code fallback}'s; null when both are empty. */
    private static Quantity field(FunctionSpec spec, Resources resources, Resources fallback, String kind,
                                  String resource) {
        String value = resource.equals("cpu") ? resources.getCpu() : resources.getMemory();
        if (value.isBlank() && fallback != null) {
            return field(spec, fallback, null, kind, resource);
        }
        return quantity(spec, kind + "." + resource, value);
    }

    /** Parses one field; null when empty. */
    static Quantity quantity(FunctionSpec spec, String field, String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        Quantity q;
        try {
            q = Quantity.fromString(v);
        } catch (QuantityFormatException | ArithmeticException | NumberFormatException e) {
            throw invalid(spec, field + ": '" + value + "' is not a Kubernetes quantity (expected: a number with"
                    + " an optional suffix, such as 500m, 2, 512Mi or 1G)");
        }
        if (q.getNumber().compareTo(BigDecimal.ZERO) < 0) {
            throw invalid(spec, field + ": '" + value + "' (expected: >= 0)");
        }
        return q;
    }
}
