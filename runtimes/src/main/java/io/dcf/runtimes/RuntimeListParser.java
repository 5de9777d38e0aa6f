package io.dcf.runtimes;

import io.dcf.runtimes.FunctionRuntime.Watcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads list.yml strictly for the fields code relies on: every error names the file, the
 * runtime and the field. Keys it does not know are left to whoever reads them.
 */
final class RuntimeListParser {

    /** list.yml is a few kilobytes; anything far larger is not ours. */
    static final int MAX_BYTES = 256 * 1024;

    private static final Pattern DIR = Pattern.compile("[A-Za-z0-9_][-A-Za-z0-9._]*");
    private static final Pattern BUILD_ARG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final String WATCHERS = String.join(", ",
            Arrays.stream(Watcher.values()).map(Watcher::key).toList());

    private RuntimeListParser() {
    }

    static List<FunctionRuntime> parse(String text, String source) {
        Object doc = load(text, source);
        if (!(doc instanceof Map<?, ?> root) || !(root.get("runtimes") instanceof Map<?, ?> entries)) {
            throw new RuntimeCatalogException(source + ": runtimes: missing (expected a map of runtime names"
                    + " to their fields)");
        }
        if (entries.isEmpty()) {
            throw new RuntimeCatalogException(source + ": runtimes: empty (expected at least one runtime)");
        }
        List<FunctionRuntime> runtimes = new ArrayList<>();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            runtimes.add(runtime(source, e.getKey(), e.getValue()));
        }
        return runtimes;
    }

    private static Object load(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new RuntimeCatalogException(source + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    private static FunctionRuntime runtime(String source, Object key, Object value) {
        if (!(key instanceof String name) || !DIR.matcher(name).matches()) {
            throw new RuntimeCatalogException(source + ": runtimes: '" + key + "' is not a valid runtime name"
                    + " (expected letters, digits, '-', '_' and '.')");
        }
        Fields f = new Fields(source + ": runtime '" + name + "'", value);
        String dir = f.string("dir", name);
        if (!DIR.matcher(dir).matches()) {
            throw f.error("dir", "'" + dir + "' (expected a directory name beside list.yml)");
        }
        Fields handler = new Fields(f.where + ": handler", f.fields.get("handler"));
        return new FunctionRuntime(name, dir, f.string("description", ""), f.buildArgs(),
                handler.string("file", ""), handler.string("name", "Handler"), f.watcher(), f.bool("local"));
    }

    /** One map of list.yml with the words that place it in errors. */
    private static final class Fields {

        private final String where;
        private final Map<?, ?> fields;

        Fields(String where, Object value) {
            this.where = where;
            if (value != null && !(value instanceof Map<?, ?>)) {
                throw new RuntimeCatalogException(where + ": expected a map of fields");
            }
            this.fields = value == null ? Map.of() : (Map<?, ?>) value;
        }

        String string(String key, String defaultValue) {
            Object value = fields.get(key);
            if (value == null) {
                return defaultValue;
            }
            if (!(value instanceof String s)) {
                throw error(key, "'" + value + "' (expected a string)");
            }
            return s;
        }

        boolean bool(String key) {
            Object value = fields.get(key);
            if (!(value instanceof Boolean b)) {
                throw error(key, (value == null ? "missing" : "'" + value + "'") + " (expected true or false)");
            }
            return b;
        }

        Watcher watcher() {
            String value = string("watcher", "");
            for (Watcher w : Watcher.values()) {
                if (w.key().equals(value)) {
                    return w;
                }
            }
            throw error("watcher", (value.isEmpty() ? "missing" : "'" + value + "'") + " (expected one of: "
                    + WATCHERS + ")");
        }

        List<String> buildArgs() {
            Object value = fields.get("build_args");
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw error("build_args", "expected a list of NAME=value");
            }
            List<String> args = new ArrayList<>();
            for (Object arg : list) {
                if (!(arg instanceof String s) || !BUILD_ARG.matcher(s).matches()) {
                    throw error("build_args", "'" + arg + "' (expected NAME=value)");
                }
                args.add(s);
            }
            return args;
        }

        RuntimeCatalogException error(String field, String problem) {
            return new RuntimeCatalogException(where + ": " + field + ": " + problem);
        }
    }
}
