package io.dcf.gateway.backend;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.LoadRequest;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment a watcher process reads (docs/watcher-contract.md, "Environment"):
 * the one place that turns a function's spec and the backend's settings into
 * {@code DCF_*} variables. The local backend's child processes and the Kubernetes
 * backend's pods both take their environment from here, so the two cannot drift.
 *
 * <p>The function's own {@code environment} comes first; the contract's variables are
 * written after it and win. Where the code lies ({@code DCF_HANDLER_PATH},
 * {@code DCF_HANDLER_FILE}, {@code DCF_FUNCTION_DIR}) is a fact of the installation:
 * the local backend sets it with {@link #code}; a function image carries it in its
 * image config instead.
 *
 * <p>The same facts, but the process's own, make a {@link #loadRequest() Load} for a pooled
 * watcher ({@link #pool}, docs/watcher-contract.md, "Pool mode"): one builder, two forms.
 */
public final class WatcherContract {

    /** The port a watcher listens on in a container. */
    public static final int CONTAINER_PORT = 50051;
    /** The Python handler file when the spec names none. */
    public static final String DEFAULT_PYTHON_FILE = "handler.py";

    /**
     * What belongs to a watcher process rather than to its function: a Load leaves them as the
     * pooled process was started with.
     */
    static final Set<String> PROCESS_VARIABLES = Set.of("DCF_WATCHER_HOST", "DCF_WATCHER_PORT",
            "DCF_WATCHER_PORT_FILE", "DCF_EXIT_WITH_PARENT", "DCF_REPLICA_SECRET_STDIN", "DCF_POOL",
            "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE");

    private final FunctionSpec spec;
    private final Map<String, String> contract = new LinkedHashMap<>();

    private WatcherContract(FunctionSpec spec) {
        this.spec = spec;
    }

    /**
     * Starts the environment of one replica of {@code spec}; a spec without a timeout
     * gets {@code defaultTimeout}. Listens on 0.0.0.0:50051 unless {@link #listen} says otherwise.
     */
    public static WatcherContract of(FunctionSpec spec, Duration defaultTimeout) {
        requireNonNull(defaultTimeout, "defaultTimeout");
        WatcherContract replica = new WatcherContract(requireNonNull(spec, "spec"));
        replica.contract.put("DCF_FUNCTION_NAME", spec.getName());
        replica.contract.put("DCF_HANDLER", spec.getHandler().getName());
        replica.contract.put("DCF_TIMEOUT_MS", Long.toString(timeout(spec, defaultTimeout).toMillis()));
        return replica.listen("0.0.0.0", CONTAINER_PORT);
    }

    /**
     * Starts the environment of a pooled, generic watcher ({@code DCF_POOL=true}) named {@code name}
     * in its messages until a Load gives it a function.
     */
    public static WatcherContract pool(String name) {
        WatcherContract pooled = new WatcherContract(FunctionSpec.getDefaultInstance());
        pooled.contract.put("DCF_POOL", "true");
        pooled.contract.put("DCF_FUNCTION_NAME", requireNonNull(name, "name"));
        return pooled.listen("0.0.0.0", CONTAINER_PORT);
    }

    /** Whether the spec's runtime runs on watcher-java (list.yml's {@code watcher: java}); else the Python watcher. */
    public static boolean javaWatcher(FunctionSpec spec) {
        return RuntimeCatalog.standard().find(spec.getRuntime())
                .map(r -> r.watcher() == FunctionRuntime.Watcher.JAVA).orElse(false);
    }

    /** The longest one call may run, as the replica will enforce it. */
    public static Duration timeout(FunctionSpec spec, Duration defaultTimeout) {
        return spec.hasTimeout() ? Duration.ofMillis(Durations.toMillis(spec.getTimeout())) : defaultTimeout;
    }

    /** The address and port to bind; port 0 picks a free one. */
    public WatcherContract listen(String host, int port) {
        contract.put("DCF_WATCHER_HOST", requireNonNull(host, "host"));
        contract.put("DCF_WATCHER_PORT", Integer.toString(port));
        return this;
    }

    /** Where the watcher writes the port it bound (with port 0). */
    public WatcherContract portFile(String path) {
        contract.put("DCF_WATCHER_PORT_FILE", requireNonNull(path, "path"));
        return this;
    }

    /** Calls (and open streams) one replica admits at once. */
    public WatcherContract maxConcurrency(int calls) {
        contract.put("DCF_MAX_CONCURRENCY", Integer.toString(calls));
        return this;
    }

    /** How long calls in flight may finish after SIGTERM. */
    public WatcherContract drainTimeout(Duration drain) {
        contract.put("DCF_DRAIN_TIMEOUT_MS", Long.toString(drain.toMillis()));
        return this;
    }

    /** The largest gRPC message accepted or sent. */
    public WatcherContract maxMessageBytes(int bytes) {
        contract.put("DCF_MAX_MESSAGE_BYTES", Integer.toString(bytes));
        return this;
    }

    /** The replica drains and exits when its standard input ends (a local parent holds the pipe). */
    public WatcherContract exitWithParent(boolean exit) {
        contract.put("DCF_EXIT_WITH_PARENT", Boolean.toString(exit));
        return this;
    }

    /** The replica reads its secret from standard input and refuses calls without it. */
    public WatcherContract secretOnStdin(boolean secret) {
        contract.put("DCF_REPLICA_SECRET_STDIN", Boolean.toString(secret));
        return this;
    }

    /**
     * Where the installed code lies: {@code handlerPath} (Java: class path; Python: the
     * directory of the handler file) and the function's directory. For Python, the handler
     * file (default {@value #DEFAULT_PYTHON_FILE}) is taken from the spec.
     */
    public WatcherContract code(String handlerPath, String functionDir, boolean python) {
        contract.put("DCF_FUNCTION_DIR", requireNonNull(functionDir, "functionDir"));
        contract.put("DCF_HANDLER_PATH", requireNonNull(handlerPath, "handlerPath"));
        if (python) {
            String file = spec.getHandler().getFile();
            contract.put("DCF_HANDLER_FILE", file.isEmpty() ? DEFAULT_PYTHON_FILE : file);
            python();
        }
        return this;
    }

    /** A Python watcher's process: unbuffered output, no bytecode files written. */
    public WatcherContract python() {
        contract.put("PYTHONUNBUFFERED", "1");
        contract.put("PYTHONDONTWRITEBYTECODE", "1");
        return this;
    }

    /**
     * Where the function's model file is ({@code DCF_MODEL_PATH}): set once {@code dcf function
     * update-model} added one; a handler reads it once, at load.
     */
    public WatcherContract modelPath(String path) {
        contract.put("DCF_MODEL_PATH", requireNonNull(path, "path"));
        return this;
    }

    /**
     * The same facts as a Load for a pooled watcher: the contract's variables but the process's
     * own ({@link #PROCESS_VARIABLES}), the function's own {@code environment}, and its runtime.
     */
    public LoadRequest loadRequest() {
        LoadRequest.Builder load = LoadRequest.newBuilder().setRuntime(spec.getRuntime())
                .putAllEnvironment(spec.getEnvironmentMap());
        contract.forEach((name, value) -> {
            if (!PROCESS_VARIABLES.contains(name)) {
                load.putContract(name, value);
            }
        });
        return load.build();
    }

    /** The contract's own variables only, in the order they were set. */
    public Map<String, String> contractVariables() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contract));
    }

    /**
     * The replica's environment over {@code base}: base first, then the function's own
     * {@code environment}, then the contract's variables (which win).
     */
    public Map<String, String> environment(Map<String, String> base) {
        Map<String, String> env = new LinkedHashMap<>(base);
        env.putAll(spec.getEnvironmentMap());
        env.putAll(contract);
        return env;
    }
}
