package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line overrides of the environment: {@code --port=0} sets {@code DCF_WATCHER_PORT},
 * {@code --timeout-ms=500} sets {@code DCF_TIMEOUT_MS}, {@code --DCF_HANDLER=x} sets itself.
 * The environment is the primary mechanism; an argument given explicitly wins over it.
 */
final class Arguments {

    private Arguments() {
    }

    /** {@code env} with {@code args} applied on top. */
    static Map<String, String> overlay(Map<String, String> env, String... args) {
        requireNonNull(env, "env");
        requireNonNull(args, "args");
        Map<String, String> merged = new HashMap<>(env);
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 3) {
                throw new IllegalArgumentException("argument: " + arg + " (expected: --key=value)");
            }
            merged.put(keyOf(arg.substring(2, equals), arg), arg.substring(equals + 1));
        }
        return merged;
    }

    private static String keyOf(String name, String arg) {
        String key = name.toUpperCase(Locale.ROOT).replace('-', '_');
        for (String candidate : new String[] {key, "DCF_" + key, "DCF_WATCHER_" + key}) {
            if (WatcherConfig.KEYS.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("argument: " + arg + " (expected: one of "
                + String.join(", ", WatcherConfig.KEYS) + " as --key=value, e.g. --port=0)");
    }
}
