package io.dcf.gateway.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.gateway.scale.ScaleDecider.Bounds;
import io.dcf.gateway.scale.ScaleDecider.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The KPA decisions on synthetic in-flight series, one sample a second (the default tick). */
class ScaleDeciderTest {

    private static final DeciderSettings KPA = DeciderSettings.kpa();
    private static final Bounds ONE_TO_TEN = new Bounds(1, 10, 10, Optional.empty());

    /** Runs {@code seconds} ticks from second {@code from}, applying every decision as the new count. */
    private static final class Run {
        final ScaleDecider decider = new ScaleDecider(KPA, 0);
        int current;
        int second;
        final List<Decision> decisions = new ArrayList<>();

        Run(int current) {
            this.current = current;
        }

        Run ticks(int seconds, IntToDoubleFunction inflightAt, Bounds bounds) {
            for (int i = 0; i < seconds; i++) {
                second++;
                long now = second * 1000L;
                double inflight = inflightAt.applyAsDouble(second);
                decider.sample(now, inflight, inflight > 0);
                Decision d = decider.decide(now, current, current, bounds);
                decisions.add(d);
                current = d.desired();
            }
            return this;
        }

        List<Integer> lastCounts(int n) {
            return decisions.subList(decisions.size() - n, decisions.size()).stream().map(Decision::desired).toList();
        }
    }

    @Test
    void steadyLoad_settlesAtCeilOfLoadOverTarget_andStaysThere() {
        Run run = new Run(1).ticks(120, s -> 25, ONE_TO_TEN);
        assertThat(run.current).isEqualTo(3);
        assertThat(run.lastCounts(60)).containsOnly(3);
    }

    @Test
    void burst_panicsWithinThePanicWindow_andDoesNotScaleDownWhilePanicking() {
        Run run = new Run(1).ticks(60, s -> 5, ONE_TO_TEN);
        assertThat(run.current).isEqualTo(1);
        run.ticks(6, s -> 80, ONE_TO_TEN); // 16x one replica's target
        assertThat(run.current).as("after 6 s of burst (the stable window alone says %d)",
                (int) Math.ceil((54 * 5 + 6 * 80) / 60.0 / 10)).isEqualTo(8);
        assertThat(run.decisions.get(run.decisions.size() - 1).reason()).startsWith("panic");
        run.ticks(30, s -> 0, ONE_TO_TEN); // the burst ends: still panicking, so never down
        assertThat(run.lastCounts(30)).containsOnly(8);
        run.ticks(60, s -> 0, ONE_TO_TEN); // a stable window without panic: down, at most halving each second
        assertThat(run.current).isEqualTo(1);
        List<Integer> down = run.decisions.stream().skip(96).map(Decision::desired).toList();
        for (int i = 1; i < down.size(); i++) {
            assertThat(down.get(i)).isGreaterThanOrEqualTo(down.get(i - 1) / 2);
        }
    }

    @Test
    void idle_goesToZeroOnlyAfterZeroAfter_withMinZero() {
        Bounds toZero = new Bounds(0, 10, 10, Optional.of(Duration.ofSeconds(30)));
        Run run = new Run(1).ticks(10, s -> 3, toZero);
        assertThat(run.current).isEqualTo(1);
        run.ticks(29, s -> 0, toZero);
        assertThat(run.lastCounts(29)).containsOnly(1);
        run.ticks(1, s -> 0, toZero);
        assertThat(run.current).isZero();
        assertThat(run.decisions.get(run.decisions.size() - 1).reason()).startsWith("idle 30000 ms >= zero_after");
        run.ticks(1, s -> 1, toZero); // a call (the queued one that woke it) brings it back
        assertThat(run.current).isEqualTo(1);
    }

    @Test
    void atZero_withoutCalls_staysAtZero_evenBeforeZeroAfterHasPassed() {
        Bounds toZero = new Bounds(0, 10, 10, Optional.of(Duration.ofSeconds(30)));
        Run run = new Run(0).ticks(10, s -> 0, toZero); // a restarted gateway: at min 0, just "used"
        assertThat(run.lastCounts(10)).containsOnly(0);
    }

    @Test
    void idle_neverGoesBelowMin_andLoad_neverAboveMax() {
        Bounds twoToFour = new Bounds(2, 4, 10, Optional.empty());
        Run run = new Run(3).ticks(120, s -> 0, twoToFour);
        assertThat(run.current).isEqualTo(2);
        assertThat(run.decisions.get(run.decisions.size() - 1).reason()).contains("min 2");
        run.ticks(120, s -> 500, twoToFour);
        assertThat(run.decisions).extracting(Decision::desired).allMatch(n -> n >= 2 && n <= 4);
        assertThat(run.current).isEqualTo(4);
    }

    @Test
    void flappingLoad_isDampedByTheStableWindow() {
        Run run = new Run(2).ticks(180, s -> s % 2 == 0 ? 40 : 0, ONE_TO_TEN); // 40, 0, 40, 0 ...: average 20
        assertThat(run.lastCounts(120)).containsOnly(2);
    }

    @Test
    void sawtoothLoad_betweenOneAndThreeReplicas_doesNotFollowEachTooth() {
        // 10 s at 30 in flight, 10 s at 0: the count settles at the average (15 -> 2) instead of 3, 1, 3, 1
        Run run = new Run(1).ticks(300, s -> (s / 10) % 2 == 0 ? 30 : 0, ONE_TO_TEN);
        assertThat(run.lastCounts(120)).containsOnly(2);
    }

    @Test
    void pausedFunction_runsNothing() {
        Run run = new Run(3).ticks(5, s -> 100, new Bounds(0, 0, 10, Optional.empty()));
        assertThat(run.lastCounts(5)).containsOnly(0);
        assertThat(run.decisions.get(0).reason()).isEqualTo("paused (scale.max 0)");
    }

    @Test
    void settings_outOfRange_areRefusedNamingTheField() {
        assertThatThrownBy(() -> new DeciderSettings(Duration.ofSeconds(6), Duration.ofSeconds(60), 2, 10, 2))
                .hasMessageStartingWith("panicWindow: PT1M (expected: > 0 and <= stableWindow PT6S)");
        assertThatThrownBy(() -> new DeciderSettings(Duration.ofSeconds(60), Duration.ofSeconds(6), 1, 10, 2))
                .hasMessage("panicThreshold: 1.0 (expected: > 1)");
        assertThatThrownBy(() -> new Bounds(0, 1, 0, Optional.empty())).hasMessage("target: 0 (expected: >= 1)");
    }
}
