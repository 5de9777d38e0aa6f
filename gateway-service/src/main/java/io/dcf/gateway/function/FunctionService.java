package io.dcf.gateway.function;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.backend.LogSink;
import io.dcf.gateway.invoke.InvocationStats;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Function management shared by the dcf.v1 API and the compat services: validates
 * input, calls the backend, adds the gateway's invocation counts. Blocking.
 */
public final class FunctionService {

    private final FunctionBackend backend;
    private final InvocationStats stats;
    private final int maxReplicas;

    public FunctionService(FunctionBackend backend, InvocationStats stats, int maxReplicas) {
        this.backend = requireNonNull(backend, "backend");
        this.stats = requireNonNull(stats, "stats");
        if (maxReplicas < 1) {
            throw new IllegalArgumentException("maxReplicas: " + maxReplicas + " (expected: >= 1)");
        }
        this.maxReplicas = maxReplicas;
    }

    public String backendName() {
        return backend.name();
    }

    public FunctionStatus deploy(FunctionSpec spec, Artifact artifact) {
        return withStats(backend.deploy(FunctionSpecs.normalize(spec, maxReplicas), artifact));
    }

    public FunctionStatus update(FunctionSpec spec, Optional<Artifact> artifact) {
        return withStats(backend.update(FunctionSpecs.normalize(spec, maxReplicas), artifact));
    }

    public void delete(String name) {
        FunctionSpecs.checkName(name);
        backend.delete(name);
        stats.forget(name);
    }

    public FunctionStatus scale(String name, int replicas) {
        FunctionSpecs.checkName(name);
        FunctionSpecs.checkReplicas(name, replicas, maxReplicas);
        return withStats(backend.scale(name, replicas));
    }

    public FunctionStatus get(String name) {
        FunctionSpecs.checkName(name);
        return withStats(backend.get(name));
    }

    public List<FunctionStatus> list() {
        return backend.list().stream().map(this::withStats).toList();
    }

    public void logs(String name, int tail, boolean follow, LogSink sink, BooleanSupplier cancelled) {
        FunctionSpecs.checkName(name);
        backend.logs(name, Math.max(0, tail), follow, sink, cancelled);
    }

    private FunctionStatus withStats(FunctionStatus status) {
        long count = stats.count(status.getSpec().getName());
        return status.toBuilder().setInvocationCount(status.getInvocationCount() + count).build();
    }
}
