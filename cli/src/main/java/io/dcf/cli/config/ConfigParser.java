package io.dcf.cli.config;

import io.dcf.cli.config.FunctionConfig.HandlerConfig;
import io.dcf.cli.config.FunctionConfig.ResourcesConfig;
import io.dcf.cli.config.FunctionConfig.ScaleConfig;
import io.dcf.proto.FunctionNames;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses config.yaml strictly: unknown keys, wrong types, bad names and unknown
 * runtimes are errors naming the file, line, function and key.
 */
public final class ConfigParser {

    /** What {@link FunctionNames#isValid} asks of a function's name, as config.yaml errors say it. */
    public static final String NAME_RULE = "expected a DNS-1123 label: lower case letters, digits and '-', at most 63";

    static final Set<String> TOP_KEYS = Set.of("functions", "dcf", "openfx");
    static final Set<String> GATEWAY_KEYS = Set.of("gateway");
    static final Set<String> FUNCTION_KEYS = Set.of("runtime", "desc", "maintainer", "handler", "image",
            "docker_registry", "environment", "environment_file", "secrets", "labels", "annotations",
            "constraints", "limits", "requests", "build_args", "build_packages", "build_options", "skip_build",
            "replicas", "scale", "timeout", "max_body", "triggers", "auth");
    static final List<String> AUTH_MODES = List.of("none", "token");
    static final Set<String> HANDLER_KEYS = Set.of("dir", "file", "name");
    static final Set<String> RESOURCE_KEYS = Set.of("cpu", "memory", "gpu");
    static final Set<String> SCALE_KEYS = Set.of("min", "max", "target_inflight", "zero_after", "mode");

    private final List<String> runtimes;

    /** @param runtimes the supported runtime names; empty accepts any runtime */
    public ConfigParser(List<String> runtimes) {
        this.runtimes = List.copyOf(runtimes);
    }

    /** Reads and parses a file; {@code displayName} is how messages name it. */
    public ConfigFile parse(Path file, String displayName) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + displayName + ": " + e.getMessage(), e);
        }
        return parse(text, displayName, file.toAbsolutePath().getParent());
    }

    public ConfigFile parse(String text, String displayName, Path baseDir) {
        NodeReader reader = new NodeReader(displayName, null);
        Node root = compose(text, displayName);
        Map<String, Node> top = reader.entries(root, null, TOP_KEYS);
        String gateway = null;
        for (String key : List.of("openfx", "dcf")) {
            if (top.containsKey(key)) {
                String value = reader.string(reader.entries(top.get(key), key, GATEWAY_KEYS).get("gateway"),
                        key + ".gateway");
                gateway = value.isEmpty() ? gateway : value;
            }
        }
        List<FunctionConfig> functions = new ArrayList<>();
        Map<String, Node> fns = reader.entries(top.get("functions"), "functions", null);
        Map<String, Node> keys = NodeReader.keyNodes(top.get("functions"));
        for (Map.Entry<String, Node> fn : fns.entrySet()) {
            functions.add(function(reader.forFunction(fn.getKey()), fn.getKey(), keys.get(fn.getKey()), fn.getValue()));
        }
        return new ConfigFile(displayName, baseDir, gateway, functions);
    }

    /** The gateway named in a config.yaml, or null; never fails (used to resolve the address). */
    public static String readGateway(Path file) {
        try {
            return new ConfigParser(List.of()).parse(file, file.toString()).gateway();
        } catch (ConfigException e) {
            return null;
        }
    }

    /** The {@code environment} of an {@code environment_file} (a YAML file with an environment key). */
    public static Map<String, String> readEnvironmentFile(Path file, String displayName) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            NodeReader reader = new NodeReader(displayName, null);
            Node env = reader.entries(compose(text, displayName), null, Set.of("environment")).get("environment");
            return reader.keyValues(env, "environment");
        } catch (IOException e) {
            throw new ConfigException("cannot read environment_file " + displayName + ": " + e.getMessage(), e);
        }
    }

    static Node compose(String text, String displayName) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? displayName : displayName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new ConfigException(where + ": " + problem.trim(), e);
        } catch (YAMLException e) {
            throw new ConfigException(displayName + ": " + e.getMessage(), e);
        }
    }

    private FunctionConfig function(NodeReader r, String name, Node keyNode, Node node) {
        if (!FunctionNames.isValid(name)) {
            throw r.error(keyNode, "invalid name (" + NAME_RULE + ")");
        }
        Map<String, Node> e = r.entries(node, null, FUNCTION_KEYS);
        if (e.containsKey("build_packages") && e.containsKey("build_options")) {
            throw r.error(e.get("build_options"), "build_options: use either build_packages or its alias build_options");
        }
        String runtime = runtime(r, keyNode, e.get("runtime"));
        List<String> buildArgs = r.strings(e.get("build_args"), "build_args");
        r.keyValues(e.get("build_args"), "build_args");
        return new FunctionConfig(name, NodeReader.line(keyNode), runtime,
                r.string(e.get("desc"), "desc"), r.string(e.get("maintainer"), "maintainer"),
                handler(r, name, e.get("handler")), r.string(e.get("image"), "image"),
                r.string(e.get("docker_registry"), "docker_registry"),
                r.keyValues(e.get("environment"), "environment"),
                r.stringOrStrings(e.get("environment_file"), "environment_file"),
                r.strings(e.get("secrets"), "secrets"), r.stringMap(e.get("labels"), "labels"),
                r.stringMap(e.get("annotations"), "annotations"), r.strings(e.get("constraints"), "constraints"),
                resources(r, e.get("limits"), "limits"), resources(r, e.get("requests"), "requests"),
                buildArgs,
                e.containsKey("build_options") ? r.strings(e.get("build_options"), "build_options")
                        : r.strings(e.get("build_packages"), "build_packages"),
                r.bool(e.get("skip_build"), "skip_build"), r.nonNegativeInt(e.get("replicas"), "replicas"),
                scale(r, e.get("scale")), r.duration(e.get("timeout"), "timeout"),
                r.size(e.get("max_body"), "max_body"), r.listOfMaps(e.get("triggers"), "triggers"),
                auth(r, e.get("auth")));
    }

    /** {@code auth}: who may invoke the function, {@code none} (default) or {@code token}. */
    private static String auth(NodeReader r, Node node) {
        String auth = node == null ? "" : r.string(node, "auth");
        if (auth.isEmpty()) {
            return AUTH_MODES.get(0);
        }
        if (!AUTH_MODES.contains(auth)) {
            throw r.error(node, "auth: '" + auth + "' is not supported" + Suggestions.hint(auth, AUTH_MODES)
                    + " (expected: none, anyone may call; or token, callers send the gateway's token)");
        }
        return auth;
    }

    private String runtime(NodeReader r, Node function, Node node) {
        String runtime = node == null ? "" : r.string(node, "runtime");
        if (runtime.isEmpty()) {
            throw r.error(node == null ? function : node, "missing key 'runtime'"
                    + (runtimes.isEmpty() ? "" : " (supported: " + String.join(", ", runtimes) + ")"));
        }
        if (!runtimes.isEmpty() && !runtimes.contains(runtime)) {
            throw r.error(node, "runtime: '" + runtime + "' is not supported" + Suggestions.hint(runtime, runtimes)
                    + "; supported runtimes: " + String.join(", ", runtimes));
        }
        return runtime;
    }

    private static HandlerConfig handler(NodeReader r, String function, Node node) {
        Map<String, Node> e = r.entries(node, "handler", HANDLER_KEYS);
        String dir = r.string(e.get("dir"), "handler.dir");
        String name = r.string(e.get("name"), "handler.name");
        return new HandlerConfig(dir.isEmpty() ? "./" + function : dir, r.string(e.get("file"), "handler.file"),
                name.isEmpty() ? "Handler" : name);
    }

    private static ResourcesConfig resources(NodeReader r, Node node, String key) {
        Map<String, Node> e = r.entries(node, key, RESOURCE_KEYS);
        return new ResourcesConfig(r.string(e.get("cpu"), key + ".cpu"), r.string(e.get("memory"), key + ".memory"),
                r.string(e.get("gpu"), key + ".gpu"));
    }

    private static ScaleConfig scale(NodeReader r, Node node) {
        if (NodeReader.isNull(node)) {
            return null;
        }
        Map<String, Node> e = r.entries(node, "scale", SCALE_KEYS);
        ScaleConfig scale = new ScaleConfig(r.nonNegativeInt(e.get("min"), "scale.min"),
                r.nonNegativeInt(e.get("max"), "scale.max"),
                r.nonNegativeInt(e.get("target_inflight"), "scale.target_inflight"),
                r.duration(e.get("zero_after"), "scale.zero_after"), r.string(e.get("mode"), "scale.mode"));
        if (scale.min() != null && scale.max() != null && scale.min() > scale.max()) {
            throw r.error(node, "scale: min " + scale.min() + " is greater than max " + scale.max());
        }
        return scale;
    }
}
