package io.dcf.cli.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values out of SnakeYAML nodes; every error names the file, the line,
 * the function (when inside one) and the key.
 */
final class NodeReader {

    private final String file;
    private final String function;

    NodeReader(String file, String function) {
        this.file = file;
        this.function = function;
    }

    NodeReader forFunction(String name) {
        return new NodeReader(file, name);
    }

    ConfigException error(Node node, String message) {
        String where = file + ":" + line(node) + ": ";
        return new ConfigException(where + (function != null ? "function " + function + ": " : "") + message);
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** The entries of a mapping, in order; unknown or duplicate keys are errors. */
    Map<String, Node> entries(Node node, String key, Collection<String> known) {
        if (isNull(node)) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, prefix(key) + "expected a map");
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar)) {
                throw error(keyNode, prefix(key) + "expected a plain key");
            }
            String name = scalar.getValue();
            if (known != null && !known.contains(name)) {
                throw error(keyNode, "unknown key '" + name + "'" + (key == null ? "" : " in " + key)
                        + Suggestions.hint(name, known));
            }
            if (entries.put(name, tuple.getValueNode()) != null) {
                throw error(keyNode, "duplicate key '" + name + "'" + (key == null ? "" : " in " + key));
            }
        }
        return entries;
    }

    /** The key nodes of a mapping (for the lines of errors about a key itself). */
    static Map<String, Node> keyNodes(Node node) {
        Map<String, Node> keys = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar) {
                    keys.putIfAbsent(scalar.getValue(), scalar);
                }
            }
        }
        return keys;
    }

    String string(Node node, String key) {
        if (isNull(node)) {
            return "";
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, key + ": expected a string");
        }
        return scalar.getValue();
    }

    List<String> strings(Node node, String key) {
        if (isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error(node, key + ": expected a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode scalar) || isNull(item)) {
                throw error(item, key + ": expected a list of strings");
            }
            values.add(scalar.getValue());
        }
        return values;
    }

    /** A string, or a list of strings (for example {@code environment_file}). */
    List<String> stringOrStrings(Node node, String key) {
        return node instanceof ScalarNode && !isNull(node) ? List.of(string(node, key)) : strings(node, key);
    }

    Map<String, String> stringMap(Node node, String key) {
        Map<String, String> values = new LinkedHashMap<>();
        entries(node, key, null).forEach((k, v) -> {
            if (!(v instanceof ScalarNode)) {
                throw error(v, key + "." + k + ": expected a string");
            }
            values.put(k, string(v, key + "." + k));
        });
        return values;
    }

    /** {@code KEY=VALUE} strings or a map. */
    Map<String, String> keyValues(Node node, String key) {
        if (node instanceof MappingNode) {
            return stringMap(node, key);
        }
        if (!isNull(node) && !(node instanceof SequenceNode)) {
            throw error(node, key + ": expected a list of KEY=VALUE strings or a map");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> items = strings(node, key);
        List<Node> nodes = isNull(node) ? List.of() : ((SequenceNode) node).getValue();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw error(nodes.get(i), key + ": '" + item + "' is not KEY=VALUE");
            }
            values.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return values;
    }

    boolean bool(Node node, String key) {
        if (isNull(node)) {
            return false;
        }
        if (!(node instanceof ScalarNode scalar) || !Tag.BOOL.equals(scalar.getTag())) {
            throw error(node, key + ": expected true or false");
        }
        return scalar.getValue().toLowerCase(java.util.Locale.ROOT).matches("true|yes|on");
    }

    Integer nonNegativeInt(Node node, String key) {
        if (isNull(node)) {
            return null;
        }
        if (node instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            try {
                int value = Integer.parseInt(scalar.getValue().replace("_", ""));
                if (value >= 0) {
                    return value;
                }
                throw error(node, key + ": " + value + " (expected: >= 0)");
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw error(node, key + ": expected a whole number >= 0");
    }

    Duration duration(Node node, String key) {
        if (isNull(node)) {
            return null;
        }
        try {
            return Durations.parse(string(node, key));
        } catch (IllegalArgumentException e) {
            throw error(node, key + ": " + e.getMessage());
        }
    }

    Long size(Node node, String key) {
        if (isNull(node)) {
            return null;
        }
        try {
            return Sizes.parse(string(node, key));
        } catch (IllegalArgumentException e) {
            throw error(node, key + ": " + e.getMessage());
        }
    }

    /** A list of maps, kept as plain Java values (for {@code triggers}). */
    List<Map<String, Object>> listOfMaps(Node node, String key) {
        if (isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error(node, key + ": expected a list of maps");
        }
        List<Map<String, Object>> values = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode)) {
                throw error(item, key + ": expected a list of maps");
            }
            Map<String, Object> map = new LinkedHashMap<>();
            entries(item, key, null).forEach((k, v) -> map.put(k, plain(v)));
            values.add(map);
        }
        return values;
    }

    private Object plain(Node node) {
        if (node instanceof ScalarNode scalar) {
            return isNull(node) ? null : scalar.getValue();
        }
        if (node instanceof SequenceNode seq) {
            return seq.getValue().stream().map(this::plain).toList();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        entries(node, null, null).forEach((k, v) -> map.put(k, plain(v)));
        return map;
    }

    static boolean isNull(Node node) {
        return node == null || Tag.NULL.equals(node.getTag());
    }

    private static String prefix(String key) {
        return key == null ? "" : key + ": ";
    }
}
