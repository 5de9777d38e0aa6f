package io.dcf.gateway.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A build's events: one per phase change, bounded log lines, the done event last. */
class BuildReporterTest {

    private final List<BuildEvent> events = new ArrayList<>();
    private final BuildReporter reporter = new BuildReporter("local-1", "fn", events::add);

    @Test
    void phase_sameTwice_tellsItOnce() {
        reporter.phase(BuildPhase.BUILD_PHASE_BUILDING);
        reporter.phase(BuildPhase.BUILD_PHASE_BUILDING);

        assertThat(events).hasSize(1);
        assertThat(events.get(0).getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_BUILDING);
        assertThat(events.get(0).getId()).isEqualTo("local-1");
        assertThat(events.get(0).hasTime()).isTrue();
    }

    @Test
    void log_pastTheLimit_dropsLinesAndSaysHowManyBeforeTheEnd() {
        reporter.phase(BuildPhase.BUILD_PHASE_BUILDING);
        for (int i = 0; i < BuildReporter.MAX_LINES + 50; i++) {
            reporter.log("line " + i);
        }
        reporter.failed("function fn: pip failed");

        assertThat(events).hasSize(1 + BuildReporter.MAX_LINES + 2);
        assertThat(events.get(BuildReporter.MAX_LINES).getLog()).isEqualTo("line " + (BuildReporter.MAX_LINES - 1));
        assertThat(events.get(BuildReporter.MAX_LINES + 1).getLog()).isEqualTo("(50 more lines in the gateway's log)");
        BuildEvent last = events.get(events.size() - 1);
        assertThat(last.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
        assertThat(last.getDone().getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
        assertThat(last.getDone().getMessage()).isEqualTo("function fn: pip failed");
        assertThat(last.getDone().getFunction()).isEqualTo("fn");
        assertThat(last.getDone().hasFinished()).isTrue();
    }

    @Test
    void log_longLine_isCutAtTheLimit() {
        reporter.log("x".repeat(BuildReporter.MAX_LINE_CHARS + 10));

        assertThat(events.get(0).getLog()).hasSize(BuildReporter.MAX_LINE_CHARS + 3).endsWith("x...");
    }
}
