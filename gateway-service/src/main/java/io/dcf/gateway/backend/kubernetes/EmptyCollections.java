package io.dcf.gateway.backend.kubernetes;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;

/**
 * client-java's generated models start every list and map field as an empty collection,
 * so a serialized Pod template carries {@code "resizePolicy": []},
 * {@code "restartPolicyRules": []} and other fields that older API servers do not know
 * (Kubernetes 1.20 drops them; newer servers warn about fields newer than themselves).
 * {@link #prune} sets every empty collection of a model tree to null, which the serializer
 * leaves out: the JSON holds only what the builders set. An empty collection and an absent
 * one mean the same to the API server.
 */
final class EmptyCollections {

    private static final String MODELS = "io.kubernetes.client.openapi.models";

    private EmptyCollections() {
    }

    /** Prunes {@code model} in place and returns it. */
    static <T> T prune(T model) {
        walk(model);
        return model;
    }

    private static void walk(Object value) {
        if (value instanceof Collection<?> collection) {
            collection.forEach(EmptyCollections::walk);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(EmptyCollections::walk);
        } else if (value != null && value.getClass().getPackageName().equals(MODELS)) {
            for (Class<?> c = value.getClass(); c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        pruneField(value, field);
                    }
                }
            }
        }
    }

    private static void pruneField(Object owner, Field field) {
        try {
            field.setAccessible(true);
            Object v = field.get(owner);
            if (v instanceof Collection<?> c && c.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()) {
                field.set(owner, null);
            } else {
                walk(v);
            }
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot prune " + owner.getClass().getSimpleName() + "." + field.getName(),
                    e);
        }
    }
}
