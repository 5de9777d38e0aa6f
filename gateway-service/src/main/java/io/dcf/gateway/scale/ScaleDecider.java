package io.dcf.gateway.scale;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides one function's replica count from its in-flight samples, the KPA way: desired =
 * ceil(average in-flight over the stable window / target); panic when the panic window asks
 * for {@code panicThreshold} times the ready replicas (then no scale down until a stable window
 * passes without that); at most {@code maxScaleDownRate} fewer (and {@code maxScaleUpRate} more)
 * per decision; clamped to [floor, ceiling]; zero only after {@code zeroAfter} without a call.
 * Pure: time comes in as milliseconds of any monotonic clock; one instance per function, used by
 * one thread at a time.
 */
final class ScaleDecider {

    /** What the spec asks: bounds, target in-flight per replica, idle time before zero (empty: never). */
    record Bounds(int floor, int ceiling, int target, Optional<Duration> zeroAfter) {
        Bounds {
            if (target < 1) {
                throw new IllegalArgumentException("target: " + target + " (expected: >= 1)");
            }
        }
    }

    /** The decision and why, for the log. */
    record Decision(int desired, String reason) {
    }

    private record Sample(long atMillis, double inflight) {
    }

    private final DeciderSettings settings;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long lastActivityMillis;
    private long panicSinceMillis = -1;
    private long lastPanicMillis;
    private int panicPeak;

    ScaleDecider(DeciderSettings settings, long nowMillis) {
        this.settings = requireNonNull(settings, "settings");
        this.lastActivityMillis = nowMillis; // a new function, or a restarted gateway, counts as just used
    }

    /**
     * Adds one sample: the calls in flight (queued ones included) at {@code nowMillis}, and
     * whether any call started since the last sample (a call shorter than a tick leaves no
     * in-flight trace but is activity all the same).
     */
    void sample(long nowMillis, double inflight, boolean started) {
        samples.addLast(new Sample(nowMillis, inflight));
        if (inflight > 0 || started) {
            lastActivityMillis = nowMillis;
        }
        long oldest = nowMillis - settings.stableWindow().toMillis();
        while (!samples.isEmpty() && samples.peekFirst().atMillis() <= oldest) {
            samples.removeFirst();
        }
    }

    /** A call arrived for a function with no replica: it counts as activity now. */
    void touch(long nowMillis) {
        lastActivityMillis = nowMillis;
    }

    /** The decision at {@code nowMillis} for a function running {@code current} replicas, {@code ready} of them ready. */
    Decision decide(long nowMillis, int current, int ready, Bounds bounds) {
        if (bounds.ceiling() == 0) {
            return new Decision(0, "paused (scale.max 0)");
        }
        double stable = average(nowMillis, settings.stableWindow());
        double panic = average(nowMillis, settings.panicWindow());
        int wantStable = (int) Math.ceil(stable / bounds.target());
        int wantPanic = (int) Math.ceil(panic / bounds.target());
        String inputs = String.format(Locale.ROOT, "stable avg %.2f, panic avg %.2f, target %d, current %d, ready %d",
                stable, panic, bounds.target(), current, ready);
        if (wantPanic > 0 && wantPanic >= settings.panicThreshold() * Math.max(1, ready)) {
            if (panicSinceMillis < 0) {
                panicSinceMillis = nowMillis;
                panicPeak = 0;
            }
            lastPanicMillis = nowMillis;
        } else if (panicSinceMillis >= 0 && nowMillis - lastPanicMillis >= settings.stableWindow().toMillis()) {
            panicSinceMillis = -1;
        }
        int desired;
        String reason;
        if (panicSinceMillis >= 0) {
            desired = Math.max(Math.max(wantPanic, current), panicPeak);
            panicPeak = desired;
            reason = "panic (never down while panicking)";
        } else {
            desired = wantStable;
            reason = "stable";
        }
        int upLimit = (int) Math.ceil(settings.maxScaleUpRate() * Math.max(1, current));
        int downLimit = (int) Math.floor(current / settings.maxScaleDownRate());
        if (desired > upLimit) {
            desired = upLimit;
            reason += ", up rate";
        } else if (desired < downLimit) {
            desired = downLimit;
            reason += ", down rate";
        }
        long idle = nowMillis - lastActivityMillis;
        boolean idleLongEnough = bounds.zeroAfter().map(z -> idle >= z.toMillis()).orElse(false);
        if (idleLongEnough && lastInflight() == 0) {
            desired = 0;
            reason = "idle " + idle + " ms >= zero_after " + bounds.zeroAfter().get().toMillis() + " ms";
        } else if (desired < 1 && current > 0 && bounds.zeroAfter().isPresent()) { // at zero only load wakes it
            desired = 1;
            reason += ", idle only " + idle + " ms";
        }
        if (desired < bounds.floor()) {
            desired = bounds.floor();
            reason += ", min " + bounds.floor();
        } else if (desired > bounds.ceiling()) {
            desired = bounds.ceiling();
            reason += ", max " + bounds.ceiling();
        }
        return new Decision(desired, reason + " (" + inputs + ")");
    }

    private double average(long nowMillis, Duration window) {
        long from = nowMillis - window.toMillis();
        double sum = 0;
        int n = 0;
        for (var it = samples.descendingIterator(); it.hasNext(); ) {
            Sample s = it.next();
            if (s.atMillis() <= from) {
                break;
            }
            sum += s.inflight();
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    private double lastInflight() {
        return samples.isEmpty() ? 0 : samples.peekLast().inflight();
    }
}
