package io.dcf.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The documents of one rendering, each parsed into its client-java model (so a misspelled field fails the parse). */
final class Rendered {

    private final String text;
    private final List<KubernetesObject> objects = new ArrayList<>();

    Rendered(String text) {
        this.text = text;
        for (String document : text.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            objects.add(parse(document));
        }
    }

    private static KubernetesObject parse(String document) {
        // policy/v1beta1 is gone from current models; its PodDisruptionBudget has the same fields as policy/v1's.
        if (document.contains("\napiVersion: policy/v1beta1\n") || document.startsWith("apiVersion: policy/v1beta1\n")) {
            return Yaml.loadAs(document, V1PodDisruptionBudget.class);
        }
        // The Prometheus Operator's kinds have no client-java model: kept as dynamic objects (JSON trees).
        if (document.contains("\napiVersion: monitoring.coreos.com/") || document.startsWith("apiVersion: monitoring.coreos.com/")) {
            Object tree = new org.yaml.snakeyaml.Yaml().load(document);
            return new DynamicKubernetesObject(new Gson().toJsonTree(tree).getAsJsonObject());
        }
        try {
            Object object = Yaml.load(document);
            assertThat(object).as("a Kubernetes object:%n%s", document).isInstanceOf(KubernetesObject.class);
            return (KubernetesObject) object;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse a rendered document:\n" + document, e);
        }
    }

    String text() {
        return text;
    }

    List<KubernetesObject> objects() {
        return objects;
    }

    /** Kind -> number of objects of that kind. */
    Map<String, Long> kinds() {
        return objects.stream().collect(Collectors.groupingBy(o -> o.getKind(), Collectors.counting()));
    }

    /** The only object of {@code type}; fails when there are none or several. */
    <T extends KubernetesObject> T one(Class<T> type) {
        List<T> all = all(type);
        assertThat(all).as("objects of %s in%n%s", type.getSimpleName(), text).hasSize(1);
        return all.get(0);
    }

    <T extends KubernetesObject> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
