package io.dcf.gateway.backend.kubernetes;

import static io.dcf.gateway.backend.kubernetes.FunctionMetadata.invalid;

import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a function's pods may run. {@code constraints} are node label selectors written
 * {@code key=value}; {@code key==value} (Docker Swarm's form, found in OpenFaaS stack files)
 * and spaces around the operator are accepted too. Anything else ({@code !=}, a missing
 * value, a key twice with two values) is refused: OpenFaaS drops such lines silently, which
 * leaves a function placed where its author said it must not be. Pure.
 */
final class Placement {

    private static final Pattern CONSTRAINT = Pattern.compile("^\\s*([^=!\\s]+)\\s*==?\\s*([^=\\s]*)\\s*$");

    private Placement() {
    }

    /** The pods' nodeSelector; empty for no constraints. */
    static Map<String, String> nodeSelector(FunctionSpec spec) {
        Map<String, String> selector = new TreeMap<>();
        for (String constraint : spec.getConstraintsList()) {
            Matcher m = CONSTRAINT.matcher(constraint);
            if (!m.matches() || m.group(2).isEmpty()) {
                throw invalid(spec, "constraints: '" + constraint + "' (expected: key=value, a node label"
                        + " such as kubernetes.io/arch=amd64)");
            }
            String key = m.group(1);
            String value = m.group(2);
            if (!KubernetesNames.isQualifiedName(key)) {
                throw invalid(spec, "constraints: '" + constraint + "': '" + key + "' is not a valid label key"
                        + " (expected: " + KubernetesNames.QUALIFIED_NAME_RULE + ")");
            }
            if (!KubernetesNames.isLabelValue(value)) {
                throw invalid(spec, "constraints: '" + constraint + "': '" + value + "' is not a valid label value"
                        + " (expected: " + KubernetesNames.LABEL_VALUE_RULE + ")");
            }
            String before = selector.putIfAbsent(key, value);
            if (before != null && !before.equals(value)) {
                throw invalid(spec, "constraints: " + key + " is given twice, as '" + before + "' and '" + value
                        + "' (expected: one value per node label)");
            }
        }
        return selector;
    }

    /**
     * Tolerations: a function that asks for GPUs tolerates the {@code nvidia.com/gpu} taint
     * that GPU nodes commonly carry (what the ExtendedResourceToleration admission plugin
     * adds where it is enabled).
     */
    static List<V1Toleration> tolerations(boolean gpu) {
        if (!gpu) {
            return List.of();
        }
        return List.of(new V1Toleration().key(ResourceSpecs.GPU).operator("Exists").effect("NoSchedule"));
    }
}
