package io.dcf.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void parse_onlyTargets_usesDefaults() {
        BenchOptions options = BenchOptions.parse("--direct=127.0.0.1:1", "--gateway=127.0.0.1:2");

        assertThat(options.direct()).contains("127.0.0.1:1");
        assertThat(options.gateway()).contains("127.0.0.1:2");
        assertThat(options.function()).isEqualTo("hello-java");
        assertThat(options.concurrency()).isEqualTo(16);
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.rounds()).isEqualTo(2);
        assertThat(options.payloadBytes()).isEqualTo(1024);
        assertThat(options.httpProtocol()).isEqualTo("h1c");
        assertThat(options.scenarios()).containsExactlyInAnyOrder("direct", "grpc", "http", "stream");
        assertThat(options.streamFrames()).containsExactly(65536, 1024);
        assertThat(options.perfEvents()).isEmpty();
    }

    @Test
    void parse_perfEvents_defaultOrNamed() {
        assertThat(BenchOptions.parse("--gateway=h:1", "--perf-events=default").perfEvents())
                .isEqualTo(PerfStat.DEFAULT_EVENTS);
        assertThat(BenchOptions.parse("--gateway=h:1", "--perf-events=context-switches").perfEvents())
                .containsExactly("context-switches");
    }

    @Test
    void parse_scenariosAndFrames_chooseWhatRuns() {
        BenchOptions options = BenchOptions.parse("--gateway=h:1", "--scenarios=grpc, stream", "--stream-frames=4096");

        assertThat(options.runs("grpc")).isTrue();
        assertThat(options.runs("http")).isFalse();
        assertThat(options.streamFrames()).containsExactly(4096);
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--gateway=h:1", "--scenarios=ftp"))
                                            .withMessage("scenarios: ftp (expected: some of direct,grpc,http,stream)");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--gateway=h:1", "--stream-frames=0"))
                                            .withMessage("stream-frames: [0] (expected: sizes > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--gateway=h:1", "--stream-frames=x"))
                                            .withMessage("stream-frames: x (expected: a size in bytes)");
    }

    @Test
    void parseDuration_acceptsMillisSecondsAndBareNumbers() {
        assertThat(BenchOptions.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(BenchOptions.parseDuration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(BenchOptions.parseDuration("1.5")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void parse_badValues_explainWhatIsExpected() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--gateway=h:1", "--concurrency=0"))
                                            .withMessage("concurrency: 0 (expected: > 0)");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--gateway=h:1", "--http=h3"))
                                            .withMessage("http: h3 (expected: h1c or h2c)");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--colour=red"))
                                            .withMessage("unknown option: --colour");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--concurrency=4"))
                                            .withMessageContaining("nothing to do");
    }

    @Test
    void pids_parsesNamedPidsAndRejectsGarbage() {
        assertThat(BenchOptions.pids("gateway=12, replica=34")).containsExactly(
                java.util.Map.entry("gateway", 12L), java.util.Map.entry("replica", 34L));
        assertThat(BenchOptions.pids("")).isEmpty();
        assertThat(BenchOptions.parse("--gateway=h:1", "--cpu-pids=replica=2,gateway=1").cpuPids().keySet())
                .as("the report's columns keep the given order").containsExactly("replica", "gateway");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.pids("gateway"))
                                            .withMessageStartingWith("cpu-pids: gateway");
    }

    @Test
    void overhead_showsDifferenceAndRatio() {
        assertThat(Report.overhead(1.5, 0.5)).isEqualTo("+1.00 ms (3.00x)");
        assertThat(Report.overhead(Double.NaN, 0.5)).isEqualTo("n/a");
    }
}
