package io.dcf.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PacingTest {

    @Test
    void offsetNanos_spacesCallsEvenly() {
        Pacing pacing = new Pacing(4_000);

        assertThat(LongStream.range(0, 4).map(pacing::offsetNanos).toArray()).containsExactly(0, 250_000, 500_000, 750_000);
    }

    @Test
    void offsetNanos_computedPerCall_doesNotDrift() {
        Pacing pacing = new Pacing(7_000); // 142,857.14 ns apart: adding up a rounded gap would drift 0.14 ns a call

        assertThat(pacing.offsetNanos(7_000)).isEqualTo(1_000_000_000L);
        assertThat(pacing.offsetNanos(70_000)).isEqualTo(10_000_000_000L);
        assertThat(pacing.offsetNanos(1)).isEqualTo(142_857);
        assertThat(pacing.offsetNanos(2)).isEqualTo(285_714);
    }

    @Test
    void callsIn_countsTheCallsDueBeforeTheEnd() {
        assertThat(new Pacing(7_000).callsIn(Duration.ofSeconds(10))).isEqualTo(70_000);
        assertThat(new Pacing(7_000).callsIn(Duration.ofMillis(500))).isEqualTo(3_500);
        assertThat(new Pacing(3).callsIn(Duration.ofMillis(500))).as("due at 0 and 333 ms").isEqualTo(2);
        assertThat(new Pacing(1).callsIn(Duration.ofMillis(1))).as("the first call is due at once").isEqualTo(1);
    }

    @Test
    void newPacing_rateNotPositive_isRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Pacing(0)).withMessage("rate: 0 (expected: > 0)");
    }

    @Test
    void parse_rate_pacesUnaryPhasesOrNot() {
        assertThat(BenchOptions.parse("--gateway=h:1").pacing()).as("default: closed loop").isEmpty();
        assertThat(BenchOptions.parse("--gateway=h:1", "--rate=5000").pacing()).contains(new Pacing(5_000));
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--gateway=h:1", "--rate=-1"))
                .withMessage("rate: -1 (expected: calls per second >= 0, 0 for a closed loop)");
    }
}
