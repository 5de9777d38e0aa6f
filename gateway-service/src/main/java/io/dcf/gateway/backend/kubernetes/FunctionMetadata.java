package io.dcf.gateway.backend.kubernetes;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.FunctionSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The labels and annotations of a function's objects (docs/kubernetes.md, "What the gateway
 * creates per function"). Ours are set last and cannot be overridden by the spec's own; keys
 * under {@value #PREFIX} are the gateway's. Pure.
 */
final class FunctionMetadata {

    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    static final String PART_OF_LABEL = "app.kubernetes.io/part-of";
    static final String DCF = "dcf";
    /** The label selector of every object the gateway manages. */
    static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + DCF;

    static final String PREFIX = "dcf.io/";
    static final String DESCRIPTION = PREFIX + "description";
    static final String MAINTAINER = PREFIX + "maintainer";
    static final String RUNTIME = PREFIX + "runtime";
    /** On the Deployment and its pod template: a new value rolls the pods even when the image tag is the same. */
    static final String GENERATION = PREFIX + "generation";
    /** On the Deployment: the spec as deployed (protobuf JSON), read back after a gateway restart. */
    static final String SPEC = PREFIX + "spec";

    /** On the Deployment: the version history (FunctionVersions JSON, newest first, bounded). */
    static final String VERSIONS = PREFIX + "versions";
    /** The most the version history may take on a Deployment. */
    static final int MAX_VERSIONS_BYTES = 64 * 1024;

    /** The API server's limit on the total size of an object's annotations. */
    static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private FunctionMetadata() {
    }

    /** The labels that select a function's pods (the Deployment's selector, the Service's selector). */
    static Map<String, String> selectorLabels(String function) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME_LABEL, function);
        labels.put(MANAGED_BY_LABEL, DCF);
        return labels;
    }

    /** {@link #selectorLabels} as a label selector string, for list and watch calls. */
    static String selector(String function) {
        return NAME_LABEL + "=" + function + "," + MANAGED_SELECTOR;
    }

    /** The spec's labels (checked), then ours. */
    static Map<String, String> labels(FunctionSpec spec) {
        Map<String, String> labels = new TreeMap<>();
        spec.getLabelsMap().forEach((key, value) -> {
            if (!KubernetesNames.isQualifiedName(key)) {
                throw invalid(spec, "labels: key '" + key + "' is not a valid label key (expected: "
                        + KubernetesNames.QUALIFIED_NAME_RULE + ")");
            }
            if (!KubernetesNames.isLabelValue(value)) {
                throw invalid(spec, "labels: " + key + ": '" + value + "' is not a valid label value (expected: "
                        + KubernetesNames.LABEL_VALUE_RULE + ")");
            }
            if (isOurs(key)) {
                throw invalid(spec, "labels: " + key + " is set by the gateway and cannot be given");
            }
            labels.put(key, value);
        });
        labels.putAll(selectorLabels(spec.getName()));
        labels.put(PART_OF_LABEL, DCF);
        return labels;
    }

    /** The Deployment's annotations: the spec's own (checked), then ours, the stored spec included. */
    static Map<String, String> deploymentAnnotations(FunctionSpec spec, long generation) {
        Map<String, String> annotations = new TreeMap<>(userAnnotations(spec));
        putIfNotEmpty(annotations, DESCRIPTION, spec.getDescription());
        putIfNotEmpty(annotations, MAINTAINER, spec.getMaintainer());
        putIfNotEmpty(annotations, RUNTIME, spec.getRuntime());
        annotations.put(GENERATION, Long.toString(generation));
        annotations.put(SPEC, specJson(spec));
        checkSize(spec, annotations);
        return annotations;
    }

    /** The pod template's annotations: the spec's own, the runtime and the generation. */
    static Map<String, String> podAnnotations(FunctionSpec spec, long generation) {
        Map<String, String> annotations = new TreeMap<>(userAnnotations(spec));
        putIfNotEmpty(annotations, RUNTIME, spec.getRuntime());
        annotations.put(GENERATION, Long.toString(generation));
        return annotations;
    }

    /** The generation recorded on a Deployment (or its pod template); 0 when none is readable. */
    static long generation(V1ObjectMeta metadata) {
        String value = metadata == null || metadata.getAnnotations() == null ? null
                : metadata.getAnnotations().get(GENERATION);
        try {
            return value == null ? 0 : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The spec recorded on a Deployment by {@link #deploymentAnnotations}; empty when it has
     * none or it cannot be read (an object not made by this gateway). Unknown fields, from a
     * newer gateway, are ignored.
     */
    static Optional<FunctionSpec> spec(V1ObjectMeta metadata) {
        String json = metadata == null || metadata.getAnnotations() == null ? null
                : metadata.getAnnotations().get(SPEC);
        if (json == null) {
            return Optional.empty();
        }
        try {
            FunctionSpec.Builder b = FunctionSpec.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(json, b);
            return Optional.of(b.build());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String specJson(FunctionSpec spec) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(spec);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a FunctionSpec always prints as JSON", e);
        }
    }

    static boolean isOurs(String key) {
        return key.startsWith(PREFIX) || key.equals(NAME_LABEL) || key.equals(MANAGED_BY_LABEL)
                || key.equals(PART_OF_LABEL);
    }

    static InvalidFunctionSpecException invalid(FunctionSpec spec, String message) {
        return new InvalidFunctionSpecException("function " + spec.getName() + ": " + message);
    }

    private static Map<String, String> userAnnotations(FunctionSpec spec) {
        Map<String, String> annotations = new TreeMap<>();
        spec.getAnnotationsMap().forEach((key, value) -> {
            if (!KubernetesNames.isQualifiedName(key)) {
                throw invalid(spec, "annotations: key '" + key + "' is not a valid annotation key (expected: "
                        + KubernetesNames.QUALIFIED_NAME_RULE + ")");
            }
            if (isOurs(key)) {
                throw invalid(spec, "annotations: " + key + " is set by the gateway and cannot be given");
            }
            annotations.put(key, value);
        });
        return annotations;
    }

    private static void checkSize(FunctionSpec spec, Map<String, String> annotations) {
        long bytes = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_ANNOTATIONS_BYTES) {
            throw invalid(spec, "the function's annotations, description and settings take " + bytes
                    + " bytes as Kubernetes annotations (expected: at most " + MAX_ANNOTATIONS_BYTES
                    + "; the environment and annotations count)");
        }
    }

    private static void putIfNotEmpty(Map<String, String> map, String key, String value) {
        if (!value.isEmpty()) {
            map.put(key, value);
        }
    }
}
