package io.dcf.gateway.function;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.backend.LogSink;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.error.FunctionAlreadyExistsException;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.metrics.InvocationMeters;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.VersionsReply;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Function management shared by the dcf.v1 API and the compat services: validates
 * input, has the {@link FunctionBuilder} build the code a deploy or update carries,
 * hands what it built to the backend, adds the gateway's invocation counts. Blocking.
 */
public final class FunctionService {

    private final FunctionBackend backend;
    private final FunctionBuilder builder;
    private final InvocationMeters meters;
    private final int maxReplicas;

    public FunctionService(FunctionBackend backend, FunctionBuilder builder, InvocationMeters meters, int maxReplicas) {
        this.backend = requireNonNull(backend, "backend");
        this.builder = requireNonNull(builder, "builder");
        this.meters = requireNonNull(meters, "meters");
        if (maxReplicas < 1) {
            throw new IllegalArgumentException("maxReplicas: " + maxReplicas + " (expected: >= 1)");
        }
        this.maxReplicas = maxReplicas;
    }

    public String backendName() {
        return backend.name();
    }

    /** Where clients reach build-service; empty when the gateway builds by itself. */
    public String buildService() {
        return builder.buildService();
    }

    /** Builds the artifact, then deploys what was built; a taken name fails before any code is built. */
    public FunctionStatus deploy(FunctionSpec spec, Artifact artifact) {
        return deploy(spec, artifact, DeployListener.NONE);
    }

    /** {@link #deploy(FunctionSpec, Artifact)}, telling {@code events} what happens on the way. */
    public FunctionStatus deploy(FunctionSpec spec, Artifact artifact, DeployListener events) {
        FunctionSpec normalized = FunctionSpecs.normalize(spec, maxReplicas);
        if (hasCode(artifact) && exists(normalized.getName())) {
            throw new FunctionAlreadyExistsException(normalized.getName());
        }
        try (BuiltFunction code = builder.build(normalized, artifact, events)) {
            events.deploying("deploying " + normalized.getName());
            return withStats(backend.deploy(normalized, code));
        }
    }

    /** Builds the artifact when there is one (an unknown function fails first), then updates. */
    public FunctionStatus update(FunctionSpec spec, Optional<Artifact> artifact) {
        return update(spec, artifact, DeployListener.NONE);
    }

    /** {@link #update(FunctionSpec, Optional)}, telling {@code events} what happens on the way. */
    public FunctionStatus update(FunctionSpec spec, Optional<Artifact> artifact, DeployListener events) {
        FunctionSpec normalized = FunctionSpecs.normalize(spec, maxReplicas);
        String updating = "updating " + normalized.getName() + " (replicas replaced one at a time)";
        if (artifact.isEmpty()) {
            events.deploying(updating);
            return withStats(backend.update(normalized, Optional.empty()));
        }
        if (hasCode(artifact.get()) && !exists(normalized.getName())) {
            throw new FunctionNotFoundException(normalized.getName());
        }
        try (BuiltFunction code = builder.build(normalized, artifact.get(), events)) {
            events.deploying(updating);
            return withStats(backend.update(normalized, Optional.of(code)));
        }
    }

    public FunctionStatus updateModel(ModelFile model) {
        FunctionSpecs.checkName(model.function());
        return withStats(backend.updateModel(model));
    }

    public VersionsReply versions(String name) {
        FunctionSpecs.checkName(name);
        return VersionsReply.newBuilder().setName(name).addAllVersions(backend.versions(name)).build();
    }

    public FunctionStatus rollback(String name, long toVersion) {
        FunctionSpecs.checkName(name);
        return withStats(backend.rollback(name, toVersion));
    }

    public void delete(String name) {
        FunctionSpecs.checkName(name);
        backend.delete(name);
        meters.forget(name);
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

    private static boolean hasCode(Artifact artifact) {
        return artifact.getSourceCase() != Artifact.SourceCase.SOURCE_NOT_SET;
    }

    /** Whether the backend knows the function (a check before a build, which the backend repeats). */
    private boolean exists(String name) {
        try {
            backend.get(name);
            return true;
        } catch (FunctionNotFoundException e) {
            return false;
        }
    }

    private FunctionStatus withStats(FunctionStatus status) {
        long count = meters.count(status.getSpec().getName()); // gateway_function_invocation_total's sum
        return status.toBuilder().setInvocationCount(status.getInvocationCount() + count).build();
    }
}
