package io.dcf.gateway.scale;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The knobs of {@link ScaleDecider} (Knative's KPA model; docs/autoscaling.md).
 *
 * @param stableWindow     the window averaged for the normal decision (KPA: 60 s)
 * @param panicWindow      the short window watched for bursts (KPA: 6 s)
 * @param panicThreshold   panic when the short window asks for this many times the ready replicas (KPA: 2)
 * @param maxScaleUpRate   at most this many times the current replicas in one decision
 * @param maxScaleDownRate at least the current replicas divided by this in one decision (2: halve at most)
 */
public record DeciderSettings(Duration stableWindow, Duration panicWindow, double panicThreshold,
                              double maxScaleUpRate, double maxScaleDownRate) {

    public DeciderSettings {
        requireNonNull(stableWindow, "stableWindow");
        requireNonNull(panicWindow, "panicWindow");
        if (stableWindow.isNegative() || stableWindow.isZero()) {
            throw new IllegalArgumentException("stableWindow: " + stableWindow + " (expected: > 0)");
        }
        if (panicWindow.isNegative() || panicWindow.isZero() || panicWindow.compareTo(stableWindow) > 0) {
            throw new IllegalArgumentException("panicWindow: " + panicWindow + " (expected: > 0 and <= stableWindow "
                    + stableWindow + ")");
        }
        if (panicThreshold <= 1) {
            throw new IllegalArgumentException("panicThreshold: " + panicThreshold + " (expected: > 1)");
        }
        if (maxScaleUpRate <= 1) {
            throw new IllegalArgumentException("maxScaleUpRate: " + maxScaleUpRate + " (expected: > 1)");
        }
        if (maxScaleDownRate <= 1) {
            throw new IllegalArgumentException("maxScaleDownRate: " + maxScaleDownRate + " (expected: > 1)");
        }
    }

    /** Knative's defaults: 60 s stable, 6 s panic, panic at 2x, up 1000x, down 2x per decision. */
    public static DeciderSettings kpa() {
        return new DeciderSettings(Duration.ofSeconds(60), Duration.ofSeconds(6), 2.0, 1000.0, 2.0);
    }
}
