package io.dcf.gateway.scale;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What the {@link Autoscaler} needs besides the decider's knobs.
 *
 * @param tick           how often functions are sampled and decided
 * @param decider        the KPA windows and rates
 * @param targetInflight in-flight calls per replica when a spec sets none
 * @param maxReplicas    the ceiling when a spec sets no {@code scale.max} (dcf.gateway.max-replicas)
 */
public record AutoscalerSettings(Duration tick, DeciderSettings decider, int targetInflight, int maxReplicas) {

    public AutoscalerSettings {
        requireNonNull(tick, "tick");
        requireNonNull(decider, "decider");
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick: " + tick + " (expected: > 0)");
        }
        if (targetInflight < 1) {
            throw new IllegalArgumentException("targetInflight: " + targetInflight + " (expected: >= 1)");
        }
        if (maxReplicas < 1) {
            throw new IllegalArgumentException("maxReplicas: " + maxReplicas + " (expected: >= 1)");
        }
    }
}
