package io.dcf.gateway.scale;

import com.google.protobuf.util.Durations;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.ScaleSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a function's {@code scale} spec means, in one place (pure). A function with a
 * {@code scale} spec is autoscaled between its bounds; one without runs its fixed
 * {@code replicas}, as before autoscaling existed.
 */
public final class ScaleSpecs {

    /** {@code scale.mode}: the gateway's own autoscaler (the default, also when empty). */
    public static final String GATEWAY = "gateway";
    /** {@code scale.mode}: a Kubernetes HorizontalPodAutoscaler scales the function. */
    public static final String HPA = "hpa";
    static final List<String> MODES = List.of(GATEWAY, HPA);

    private ScaleSpecs() {
    }

    /** Whether the gateway's autoscaler scales the function (a scale spec in mode gateway). */
    public static boolean autoscaled(FunctionSpec spec) {
        return spec.hasScale() && !HPA.equals(spec.getScale().getMode());
    }

    /** Whether a HorizontalPodAutoscaler scales the function (Kubernetes backend). */
    public static boolean hpa(FunctionSpec spec) {
        return spec.hasScale() && HPA.equals(spec.getScale().getMode());
    }

    /** An autoscaled function whose {@code scale.max} is 0: it runs nothing and calls are refused at once. */
    public static boolean paused(FunctionSpec spec) {
        return autoscaled(spec) && spec.getScale().hasMax() && spec.getScale().getMax() == 0;
    }

    /** Whether the function may go down to zero replicas: {@code min} 0 and {@code zero_after} set. */
    public static boolean scalesToZero(FunctionSpec spec) {
        return autoscaled(spec) && spec.getScale().getMin() == 0 && spec.getScale().hasZeroAfter();
    }

    /** The fewest replicas the autoscaler keeps: {@code min}, at least 1 unless it scales to zero. */
    public static int floor(FunctionSpec spec) {
        if (paused(spec)) {
            return 0;
        }
        return scalesToZero(spec) ? 0 : Math.max(1, spec.getScale().getMin());
    }

    /** The most replicas: {@code max}, or {@code maxReplicas} (dcf.gateway.max-replicas) when unset. */
    public static int ceiling(FunctionSpec spec, int maxReplicas) {
        return spec.getScale().hasMax() ? spec.getScale().getMax() : maxReplicas;
    }

    /** Target in-flight calls per replica: {@code target_inflight}, or {@code defaultTarget} when 0. */
    public static int target(FunctionSpec spec, int defaultTarget) {
        int own = spec.getScale().getTargetInflight();
        return own > 0 ? own : defaultTarget;
    }

    /** How long without calls before the function goes to zero; empty when it never does. */
    public static Optional<Duration> zeroAfter(FunctionSpec spec) {
        return scalesToZero(spec)
               ? Optional.of(Duration.ofMillis(Durations.toMillis(spec.getScale().getZeroAfter())))
               : Optional.empty();
    }

    /** The replicas an autoscaled function starts with after a gateway restart: its floor. */
    public static int restartReplicas(FunctionSpec spec, int stored) {
        return autoscaled(spec) ? floor(spec) : stored;
    }

    /**
     * The spec {@code dcf function scale} leaves: an autoscaled function is pinned at
     * {@code replicas} (min = max = replicas; 0 pauses it), others just get the count.
     */
    public static FunctionSpec pinned(FunctionSpec spec, int replicas) {
        FunctionSpec.Builder b = spec.toBuilder().setReplicas(replicas);
        if (autoscaled(spec)) {
            b.setScale(spec.getScale().toBuilder().setMin(replicas).setMax(replicas));
        }
        return b.build();
    }

    /**
     * Checks {@code scale}: bounds 0 to {@code maxReplicas}, min at most max, a known mode,
     * a positive zero_after; the HPA needs min 1 (it cannot scale to zero). Errors name the
     * function and the field.
     */
    public static void check(FunctionSpec spec, int maxReplicas) {
        if (!spec.hasScale()) {
            return;
        }
        ScaleSpec s = spec.getScale();
        String fn = "function " + spec.getName() + ": ";
        if (s.getMin() < 0 || s.getMin() > maxReplicas) {
            throw new InvalidFunctionSpecException(fn + "scale.min: " + s.getMin() + " (expected: 0-" + maxReplicas + ")");
        }
        if (s.hasMax() && (s.getMax() < 0 || s.getMax() > maxReplicas)) {
            throw new InvalidFunctionSpecException(fn + "scale.max: " + s.getMax() + " (expected: 0-" + maxReplicas
                    + ")");
        }
        if (s.hasMax() && s.getMin() > s.getMax()) {
            throw new InvalidFunctionSpecException(fn + "scale.min: " + s.getMin() + " is greater than scale.max: "
                    + s.getMax());
        }
        if (s.getTargetInflight() < 0) {
            throw new InvalidFunctionSpecException(fn + "scale.target_inflight: " + s.getTargetInflight()
                    + " (expected: > 0, or 0 for the gateway's default)");
        }
        if (s.hasZeroAfter() && Durations.toMillis(s.getZeroAfter()) <= 0) {
            throw new InvalidFunctionSpecException(fn + "scale.zero_after: " + Durations.toString(s.getZeroAfter())
                    + " (expected: > 0)");
        }
        if (!s.getMode().isEmpty() && !MODES.contains(s.getMode())) {
            throw new InvalidFunctionSpecException(fn + "scale.mode: '" + s.getMode() + "' (expected one of: "
                    + String.join(", ", MODES) + ")");
        }
        if (HPA.equals(s.getMode()) && !s.hasMax()) {
            throw new InvalidFunctionSpecException(fn + "scale.max: unset with mode hpa (expected: the"
                    + " HorizontalPodAutoscaler's maxReplicas, >= 1)");
        }
        if (HPA.equals(s.getMode()) && (s.getMin() < 1 || s.getMax() < 1)) {
            throw new InvalidFunctionSpecException(fn + "scale.min: " + s.getMin() + ", scale.max: " + s.getMax()
                    + " with mode hpa (expected: >= 1: a HorizontalPodAutoscaler neither scales to zero nor pauses)");
        }
    }
}
