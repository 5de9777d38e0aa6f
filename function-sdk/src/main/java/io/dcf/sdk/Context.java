package io.dcf.sdk;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/** What a handler learns about its replica when {@link Handler#init(Context)} runs. */
public final class Context {

    private final String functionName;
    private final Path directory;
    private final Map<String, String> environment;

    /**
     * Creates a context. The runtime does this; tests may too.
     *
     * @param functionName the function's name
     * @param directory    the directory holding the function's files (models, data)
     * @param environment  the function's environment variables
     */
    public Context(String functionName, Path directory, Map<String, String> environment) {
        this.functionName = requireNonNull(functionName, "functionName");
        this.directory = requireNonNull(directory, "directory");
        this.environment = Map.copyOf(environment);
    }

    /** The function's name. */
    public String functionName() {
        return functionName;
    }

    /** The directory holding the function's files: read models and data relative to it. */
    public Path directory() {
        return directory;
    }

    /** The process environment, including the function's {@code environment} settings. */
    public Map<String, String> environment() {
        return environment;
    }

    /** One environment variable, or {@code defaultValue} when it is not set. */
    public String env(String name, String defaultValue) {
        return environment.getOrDefault(name, defaultValue);
    }
}
