package io.dcf.gateway.function;

import com.google.protobuf.util.Durations;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.gateway.scale.ScaleSpecs;
import io.dcf.proto.FunctionNames;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.RuntimeCatalog;
import java.util.List;

/** Pure checks and defaults for function specs; no I/O. */
public final class FunctionSpecs {

    /** Who may invoke a function ({@code FunctionSpec.auth}); the first is the default. */
    public static final List<String> AUTH_MODES = List.of("none", "token");

    private FunctionSpecs() {
    }

    /** Throws InvalidFunctionSpecException naming the field when {@code name} is not a DNS-1123 label. */
    public static void checkName(String name) {
        if (name.isEmpty()) {
            throw new InvalidFunctionSpecException("name: must not be empty");
        }
        if (!FunctionNames.isValid(name)) {
            throw new InvalidFunctionSpecException("name: '" + name + "' is not a valid function name"
                    + " (expected: a DNS-1123 label: lower case letters, digits and '-', starting and ending"
                    + " with a letter or digit, at most 63 characters)");
        }
    }

    /**
     * Validates a spec and fills in defaults (handler Handler, 1 replica, or {@code scale.min} and
     * at most {@code scale.max} for an autoscaled function: see {@link ScaleSpecs}). The runtime is
     * never guessed: an empty one is refused with the list of runtimes (list.yml's), unless the spec
     * names an image (deployed from an image alone, as the compat Deploy does, the image is what runs).
     */
    public static FunctionSpec normalize(FunctionSpec spec, int maxReplicas) {
        return normalize(spec, maxReplicas, RuntimeCatalog.standard());
    }

    static FunctionSpec normalize(FunctionSpec spec, int maxReplicas, RuntimeCatalog runtimes) {
        checkName(spec.getName());
        FunctionSpec.Builder b = spec.toBuilder();
        if (b.getRuntime().isEmpty() && b.getImage().isEmpty()) {
            throw invalid(spec, "runtime: missing (expected one of: " + runtimes.joinedNames() + ")");
        }
        if (!b.getRuntime().isEmpty() && runtimes.find(b.getRuntime()).isEmpty()) {
            throw invalid(spec, "runtime: unknown runtime '" + b.getRuntime() + "' (expected one of: "
                    + runtimes.joinedNames() + ")");
        }
        if (b.getHandler().getName().isEmpty()) {
            b.setHandler(b.getHandler().toBuilder().setName("Handler"));
        }
        if (b.getAuth().isEmpty()) {
            b.setAuth(AUTH_MODES.get(0));
        }
        if (!AUTH_MODES.contains(b.getAuth())) {
            throw invalid(spec, "auth: '" + b.getAuth() + "' (expected one of: " + String.join(", ", AUTH_MODES) + ")");
        }
        checkReplicas(spec.getName(), b.getReplicas(), maxReplicas);
        ScaleSpecs.check(spec, maxReplicas);
        if (b.getReplicas() == 0) { // unset: the first replica is started even when the function may scale to zero
            b.setReplicas(ScaleSpecs.paused(spec) ? 0 : Math.max(1, b.getScale().getMin()));
        }
        if (ScaleSpecs.autoscaled(spec)) {
            b.setReplicas(Math.min(b.getReplicas(), ScaleSpecs.ceiling(spec, maxReplicas)));
        }
        if (b.getMaxBodyBytes() < 0) {
            throw invalid(spec, "max_body: " + b.getMaxBodyBytes() + " (expected: >= 0)");
        }
        if (b.hasTimeout() && Durations.toMillis(b.getTimeout()) <= 0) {
            throw invalid(spec, "timeout: " + Durations.toString(b.getTimeout()) + " (expected: > 0)");
        }
        return b.build();
    }

    /** Checks a wanted replica count: 0 to {@code maxReplicas} ({@code dcf.gateway.max-replicas}). */
    public static void checkReplicas(String name, int replicas, int maxReplicas) {
        if (replicas < 0 || replicas > maxReplicas) {
            throw new InvalidFunctionSpecException("function " + name + ": replicas: " + replicas + " (expected: 0-"
                    + maxReplicas + ")");
        }
    }

    private static InvalidFunctionSpecException invalid(FunctionSpec spec, String message) {
        return new InvalidFunctionSpecException("function " + spec.getName() + ": " + message);
    }
}
