package io.dcf.cli.config;

import com.google.protobuf.Duration;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.Resources;
import io.dcf.proto.v1.ScaleSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps a config.yaml function to the gateway's {@link FunctionSpec}. Pure apart from reading environment files. */
public final class FunctionSpecs {

    private FunctionSpecs() {
    }

    /**
     * Builds the spec. {@code environment_file}s (relative to {@code baseDir}) are read
     * first; {@code environment} entries override them.
     */
    public static FunctionSpec forFunction(FunctionConfig fn, Path baseDir) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String file : fn.environmentFiles()) {
            env.putAll(ConfigParser.readEnvironmentFile(baseDir.resolve(file), file));
        }
        env.putAll(fn.environment());
        FunctionSpec.Builder spec = FunctionSpec.newBuilder()
                .setName(fn.name())
                .setRuntime(fn.runtime())
                .setImage(fn.image())
                .setDescription(fn.description())
                .setMaintainer(fn.maintainer())
                .setHandler(HandlerRef.newBuilder()
                        .setDir(fn.handler().dir())
                        .setFile(fn.handler().file())
                        .setName(fn.handler().name()))
                .putAllEnvironment(env)
                .putAllLabels(fn.labels())
                .putAllAnnotations(fn.annotations())
                .addAllSecrets(fn.secrets())
                .addAllConstraints(fn.constraints())
                .setLimits(resources(fn.limits()))
                .setRequests(resources(fn.requests()))
                .addAllBuildArgs(fn.buildArgs())
                .addAllBuildPackages(fn.buildPackages())
                .setDockerRegistry(fn.dockerRegistry())
                .setAuth(fn.auth());
        if (fn.replicas() != null) {
            spec.setReplicas(fn.replicas());
        }
        if (fn.scale() != null) {
            spec.setScale(scale(fn.scale()));
        }
        if (fn.timeout() != null) {
            spec.setTimeout(duration(fn.timeout()));
        }
        if (fn.maxBodyBytes() != null) {
            spec.setMaxBodyBytes(fn.maxBodyBytes());
        }
        return spec.build();
    }

    private static Resources resources(FunctionConfig.ResourcesConfig r) {
        return Resources.newBuilder().setCpu(r.cpu()).setMemory(r.memory()).setGpu(r.gpu()).build();
    }

    private static ScaleSpec scale(FunctionConfig.ScaleConfig s) {
        ScaleSpec.Builder scale = ScaleSpec.newBuilder();
        if (s.min() != null) {
            scale.setMin(s.min());
        }
        if (s.max() != null) {
            scale.setMax(s.max());
        }
        if (s.targetInflight() != null) {
            scale.setTargetInflight(s.targetInflight());
        }
        if (s.zeroAfter() != null) {
            scale.setZeroAfter(duration(s.zeroAfter()));
        }
        if (s.mode() != null && !s.mode().isEmpty()) {
            scale.setMode(s.mode());
        }
        return scale.build();
    }

    private static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}
