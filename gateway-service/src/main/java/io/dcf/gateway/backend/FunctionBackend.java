package io.dcf.gateway.backend;

import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.FunctionAlreadyExistsException;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import java.util.List;
import java.util.Optional;

/**
 * Runs functions: the provider contract the gateway needs (deploy, update, delete,
 * scale, get, list, logs). Implementations: local child processes, Kubernetes
 * Deployments. Nothing above this interface (and {@link EndpointResolver}) knows which
 * one runs; one is chosen by {@code dcf.gateway.backend}.
 * Methods may block (processes, files, remote APIs): never call them on an event loop.
 */
public interface FunctionBackend extends AutoCloseable {

    /** "local" or "kubernetes". */
    String name();

    /**
     * Deploys a new function running {@code code} (what a {@code FunctionBuilder} made: the local
     * backend takes local code, the Kubernetes backend an image) and waits (up to the backend's
     * ready timeout) for its first replica.
     *
     * @throws FunctionAlreadyExistsException when the name is taken
     */
    FunctionStatus deploy(FunctionSpec spec, BuiltFunction code);

    /**
     * Replaces a function's settings and, when {@code code} is present, its code,
     * one replica at a time.
     *
     * @throws FunctionNotFoundException when the function does not exist
     */
    FunctionStatus update(FunctionSpec spec, Optional<BuiltFunction> code);

    /**
     * Adds {@code model} to the function's current code as a new version (locally: a new
     * generation holding the file; on Kubernetes: the current image plus one layer) and rolls
     * the replicas over one at a time; replicas find the file at {@code DCF_MODEL_PATH}.
     *
     * @throws FunctionNotFoundException when the function does not exist
     */
    FunctionStatus updateModel(ModelFile model);

    /** A function's versions, newest first; the first is the current one. */
    List<FunctionVersion> versions(String name);

    /**
     * Rolls back to version {@code toVersion} (0: the newest available before the current), one
     * replica at a time, keeping the replica count; the rollback is recorded as a new version.
     */
    FunctionStatus rollback(String name, long toVersion);

    /** Deletes a function and everything the backend made for it (replicas, code, objects). */
    void delete(String name);

    /**
     * Sets the wanted number of replicas ({@code dcf function scale}). On an autoscaled function
     * it pins the count: the stored spec gets {@code scale.min = scale.max = replicas}
     * ({@code ScaleSpecs.pinned}; 0 pauses the function) until the next deploy or update.
     */
    FunctionStatus scale(String name, int replicas);

    /**
     * Sets the number of replicas running now, for the autoscaler. Unlike {@link #scale} the
     * stored spec is left as it is: a restarted gateway starts an autoscaled function at its
     * {@code scale.min}, not at a burst's peak. Locally the replicas start or drain as for a
     * scale; on Kubernetes the Deployment's {@code spec.replicas} changes (the spec lives in
     * its {@code dcf.io/spec} annotation, untouched). May block while replicas drain.
     *
     * @throws FunctionNotFoundException when the function does not exist (deleted meanwhile)
     */
    void autoscale(String name, int replicas);

    /**
     * Calls {@code listener} with a function's name and how long a new replica took from its
     * start to ready (a cold start: deploy, scale, autoscale, a restart after a crash). Locally:
     * process start to the watcher's first ready; on Kubernetes: the pod's creation to its Ready
     * condition, for pods that become ready while this gateway watches.
     */
    void onColdStart(java.util.function.BiConsumer<String, java.time.Duration> listener);

    /** One function's status. */
    FunctionStatus get(String name);

    /** Every function's status, sorted by name. */
    List<FunctionStatus> list();

    /**
     * Sends a function's log lines to {@code sink}: the last {@code tail} lines of each
     * replica (all when 0), then, with {@code follow}, new lines until the sink returns
     * false or {@code cancelled} says so. Blocks while following.
     */
    void logs(String name, int tail, boolean follow, LogSink sink, java.util.function.BooleanSupplier cancelled);

    /**
     * Releases what this gateway holds, deleting nothing. What happens to running functions
     * depends on the backend: the local backend stops every replica process (they are its
     * children; the next gateway on the same DCF_HOME starts them again from the stored
     * specs); the Kubernetes backend only stops its informers and threads, and the
     * functions' Deployments and pods keep running untouched (a gateway restart or
     * upgrade never interrupts them).
     */
    @Override
    void close();
}
