package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The watcher's settings, read from {@code DCF_*} environment variables as described in
 * {@code docs/watcher-contract.md}. Parsed from a plain map so tests can pass one.
 */
record WatcherConfig(
        String functionName,
        String handlerClass,
        List<Path> handlerPath,
        Path functionDir,
        String host,
        int port,
        Optional<Path> portFile,
        Duration timeout,
        int maxConcurrency,
        Duration drainTimeout,
        int maxMessageBytes,
        boolean exitWithParent,
        boolean secretFromStdin,
        Duration stuckGrace) {

    static final String FUNCTION_NAME = "DCF_FUNCTION_NAME";
    static final String HANDLER = "DCF_HANDLER";
    static final String HANDLER_PATH = "DCF_HANDLER_PATH";
    static final String FUNCTION_DIR = "DCF_FUNCTION_DIR";
    static final String HOST = "DCF_WATCHER_HOST";
    static final String PORT = "DCF_WATCHER_PORT";
    static final String PORT_FILE = "DCF_WATCHER_PORT_FILE";
    static final String TIMEOUT_MS = "DCF_TIMEOUT_MS";
    static final String MAX_CONCURRENCY = "DCF_MAX_CONCURRENCY";
    static final String DRAIN_TIMEOUT_MS = "DCF_DRAIN_TIMEOUT_MS";
    static final String MAX_MESSAGE_BYTES = "DCF_MAX_MESSAGE_BYTES";
    static final String EXIT_WITH_PARENT = "DCF_EXIT_WITH_PARENT";
    static final String SECRET_FROM_STDIN = "DCF_REPLICA_SECRET_STDIN";
    static final String STUCK_GRACE_MS = "DCF_STUCK_GRACE_MS";
    /** Pool mode: no function at start; one {@code dcf.v1.Watcher/Load} names it ({@link PooledLoad}). */
    static final String POOL = "DCF_POOL";

    /** Every variable the watcher reads; {@code --key=value} arguments must name one of them. */
    static final List<String> KEYS = List.of(FUNCTION_NAME, HANDLER, HANDLER_PATH, FUNCTION_DIR, HOST, PORT,
            PORT_FILE, TIMEOUT_MS, MAX_CONCURRENCY, DRAIN_TIMEOUT_MS, MAX_MESSAGE_BYTES, EXIT_WITH_PARENT,
            SECRET_FROM_STDIN, STUCK_GRACE_MS, POOL);

    /** What a Load cannot change: the process was started with them (its port, its parent, its secret). */
    static final List<String> PROCESS_KEYS = List.of(HOST, PORT, PORT_FILE, EXIT_WITH_PARENT, SECRET_FROM_STDIN, POOL);

    WatcherConfig {
        requireNonNull(functionName, "functionName");
        requireNonNull(handlerClass, "handlerClass");
        handlerPath = List.copyOf(handlerPath);
        requireNonNull(functionDir, "functionDir");
        requireNonNull(host, "host");
        requireNonNull(portFile, "portFile");
        requireNonNull(timeout, "timeout");
        requireNonNull(drainTimeout, "drainTimeout");
        requireNonNull(stuckGrace, "stuckGrace");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        if (maxConcurrency <= 0) {
            throw new IllegalArgumentException("maxConcurrency: " + maxConcurrency + " (expected: > 0)");
        }
    }

    /**
     * Reads the configuration from {@code env} (the process environment, or a test's map).
     *
     * @throws IllegalArgumentException naming the variable, its value and what was expected
     */
    static WatcherConfig fromMap(Map<String, String> env) {
        requireNonNull(env, "env");
        Values values = new Values(env);
        List<Path> handlerPath = parseHandlerPath(values.text(HANDLER_PATH, "."));
        String functionDir = values.text(FUNCTION_DIR, "");
        return new WatcherConfig(
                values.nonEmpty(FUNCTION_NAME, "function"),
                values.nonEmpty(HANDLER, "Handler"),
                handlerPath,
                functionDir.isEmpty() ? defaultFunctionDir(handlerPath.get(0)) : Path.of(functionDir),
                values.nonEmpty(HOST, "0.0.0.0"),
                values.integer(PORT, 50051, 0, 65535, "an integer 0-65535"),
                Optional.of(values.text(PORT_FILE, "")).filter(s -> !s.isEmpty()).map(Path::of),
                Duration.ofMillis(values.positive(TIMEOUT_MS, 30_000)),
                values.positive(MAX_CONCURRENCY, 64),
                Duration.ofMillis(values.integer(DRAIN_TIMEOUT_MS, 10_000, 0, Integer.MAX_VALUE,
                        "a non-negative integer")),
                values.positive(MAX_MESSAGE_BYTES, 64 * 1024 * 1024),
                values.bool(EXIT_WITH_PARENT, false),
                values.bool(SECRET_FROM_STDIN, false),
                Duration.ofMillis(values.positive(STUCK_GRACE_MS, 5_000)));
    }

    /** Whether {@code env} starts the watcher in pool mode ({@value #POOL}). */
    static boolean poolMode(Map<String, String> env) {
        return new Values(requireNonNull(env, "env")).bool(POOL, false);
    }

    /**
     * The configuration of a pooled watcher once a Load names its function: the start-up
     * environment with the Load's contract variables over it; the process's own settings
     * ({@link #PROCESS_KEYS}) stay as started.
     *
     * @throws IllegalArgumentException as {@link #fromMap}
     */
    static WatcherConfig forLoad(Map<String, String> startEnv, Map<String, String> contract) {
        Map<String, String> env = new java.util.HashMap<>(startEnv);
        contract.forEach((key, value) -> {
            if (!PROCESS_KEYS.contains(key)) {
                env.put(key, value);
            }
        });
        return fromMap(env);
    }

    /** The function directory when none is given: the first class path entry, or a jar's directory. */
    static Path defaultFunctionDir(Path firstEntry) {
        Path absolute = firstEntry.toAbsolutePath().normalize();
        if (Files.isRegularFile(absolute) || absolute.getFileName() != null
                && absolute.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")) {
            Path parent = absolute.getParent();
            return parent != null ? parent : absolute;
        }
        return absolute;
    }

    private static List<Path> parseHandlerPath(String value) {
        List<Path> entries = new ArrayList<>();
        for (String entry : value.split(":")) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry.strip()));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(HANDLER_PATH + ": '" + value
                    + "' (expected: jars and directories joined by ':')");
        }
        return entries;
    }

    /** Typed look-ups with the contract's defaults and messages like {@code "X: abc (expected: ...)"}. */
    private record Values(Map<String, String> env) {

        String text(String key, String defaultValue) {
            String value = env.get(key);
            return value == null ? defaultValue : value;
        }

        String nonEmpty(String key, String defaultValue) {
            String value = text(key, defaultValue).strip();
            return value.isEmpty() ? defaultValue : value;
        }

        int positive(String key, int defaultValue) {
            return integer(key, defaultValue, 1, Integer.MAX_VALUE, "a positive integer");
        }

        int integer(String key, int defaultValue, int min, int max, String expected) {
            String value = env.get(key);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            try {
                int parsed = Integer.parseInt(value.strip());
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
        }

        boolean bool(String key, boolean defaultValue) {
            String value = env.get(key);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> {
                    return true;
                }
                case "false", "0", "no" -> {
                    return false;
                }
                default -> throw new IllegalArgumentException(key + ": " + value + " (expected: true or false)");
            }
        }
    }
}
