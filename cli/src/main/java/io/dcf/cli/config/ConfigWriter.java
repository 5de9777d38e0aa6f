package io.dcf.cli.config;

import io.dcf.common.AtomicFiles;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Adds a function to config.yaml (what {@code dcf function init} does), creating the
 * file when needed. An existing file keeps its text and comments: the function is
 * inserted at the end of the {@code functions:} block. When the file is not in that
 * block form, it is re-serialized from its node tree instead; either way the result
 * is parsed again and must hold every function it held before plus the new one.
 */
public final class ConfigWriter {

    private static final Pattern FUNCTIONS = Pattern.compile("functions:\\s*(#.*)?");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./][A-Za-z0-9_./=:+@-]*");

    private ConfigWriter() {
    }

    /** A function as {@code init} writes it. */
    public record NewFunction(String name, String runtime, String dir, String file, String handler,
                              String image, List<String> buildArgs) {
    }

    /** Writes {@code file}: created with {@code dcf.gateway} when absent, else the function is added. */
    public static void addFunction(Path file, NewFunction fn, String gateway) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        String updated = text.isBlank()
                ? "functions:\n" + block(fn, "  ") + "dcf:\n  gateway: " + scalar(gateway) + "\n"
                : add(text, fn, file.getFileName().toString());
        AtomicFiles.writeString(file, updated);
    }

    static String add(String text, NewFunction fn, String displayName) {
        ConfigParser parser = new ConfigParser(List.of());
        List<String> expected = new ArrayList<>(names(parser.parse(text, displayName, Path.of("."))));
        expected.add(fn.name());
        String inserted = insertText(text, fn);
        if (inserted != null && names(parser.parse(inserted, displayName, Path.of("."))).equals(expected)) {
            return inserted;
        }
        String dumped = dump(text, fn);
        if (!names(parser.parse(dumped, displayName, Path.of("."))).equals(expected)) {
            throw new ConfigException(displayName + ": cannot add function " + fn.name() + " without losing content");
        }
        return dumped;
    }

    /** The text with the function inserted in the block {@code functions:} section, or null. */
    static String insertText(String text, NewFunction fn) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripTrailing();
            if (line.startsWith("functions:")) {
                if (!FUNCTIONS.matcher(line).matches()) {
                    return null;
                }
                start = i;
            }
        }
        if (start < 0) {
            return String.join("\n", lines) + "\nfunctions:\n" + block(fn, "  ");
        }
        int end = start + 1;
        String unit = null;
        while (end < lines.size() && (lines.get(end).isBlank() || Character.isWhitespace(lines.get(end).charAt(0))
                || lines.get(end).startsWith("#"))) {
            String line = lines.get(end);
            if (unit == null && !line.isBlank() && !line.strip().startsWith("#")) {
                unit = line.substring(0, line.length() - line.stripLeading().length());
            }
            end++;
        }
        while (end > start + 1 && (lines.get(end - 1).isBlank() || lines.get(end - 1).startsWith("#"))) {
            end--;
        }
        lines.add(end, block(fn, unit == null || unit.isEmpty() || unit.contains("\t") ? "  " : unit).stripTrailing());
        return String.join("\n", lines) + "\n";
    }

    static String dump(String text, NewFunction fn) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Yaml yaml = new Yaml(options);
        MappingNode root = (MappingNode) yaml.compose(new StringReader(text));
        NodeTuple added = ((MappingNode) yaml.compose(new StringReader(block(fn, "  ").indent(-2)))).getValue().get(0);
        List<NodeTuple> tuples = root.getValue();
        boolean found = false;
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple t = tuples.get(i);
            if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("functions")) {
                found = true;
                if (t.getValueNode() instanceof MappingNode fns) {
                    fns.getValue().add(added);
                    fns.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
                } else {
                    tuples.set(i, new NodeTuple(t.getKeyNode(), mapping(added)));
                }
            }
        }
        if (!found) {
            tuples.add(0, new NodeTuple(new ScalarNode(org.yaml.snakeyaml.nodes.Tag.STR, "functions", null, null,
                    DumperOptions.ScalarStyle.PLAIN), mapping(added)));
        }
        root.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
        StringWriter out = new StringWriter();
        yaml.serialize(root, out);
        return out.toString();
    }

    private static Node mapping(NodeTuple tuple) {
        return new MappingNode(org.yaml.snakeyaml.nodes.Tag.MAP, new ArrayList<>(List.of(tuple)),
                DumperOptions.FlowStyle.BLOCK);
    }

    /** The function's lines, its name indented by {@code unit}, nested keys by one more {@code unit} each. */
    static String block(NewFunction fn, String unit) {
        String u2 = unit + unit;
        StringBuilder b = new StringBuilder()
                .append(unit).append(fn.name()).append(":\n")
                .append(u2).append("runtime: ").append(scalar(fn.runtime())).append('\n')
                .append(u2).append("desc: \"\"\n")
                .append(u2).append("maintainer: \"\"\n")
                .append(u2).append("handler:\n")
                .append(u2).append(unit).append("dir: ").append(scalar(fn.dir())).append('\n');
        if (fn.file() != null && !fn.file().isEmpty()) {
            b.append(u2).append(unit).append("file: ").append(scalar(fn.file())).append('\n');
        }
        b.append(u2).append(unit).append("name: ").append(scalar(fn.handler())).append('\n');
        if (fn.image() != null && !fn.image().isEmpty()) {
            b.append(u2).append("image: ").append(scalar(fn.image())).append('\n');
        }
        if (!fn.buildArgs().isEmpty()) {
            b.append(u2).append("build_args:\n");
            fn.buildArgs().forEach(arg -> b.append(u2).append("- ").append(scalar(arg)).append('\n'));
        }
        return b.toString();
    }

    /** A YAML scalar: plain when safe, else double-quoted. */
    static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !value.matches("(?i)true|false|yes|no|on|off|null|~|[-+.\\d][\\d.e+-]*")) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<String> names(ConfigFile config) {
        return config.functions().stream().map(FunctionConfig::name).toList();
    }
}
