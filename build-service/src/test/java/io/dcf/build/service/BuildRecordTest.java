package io.dcf.build.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.build.BuiltImage;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A build's bounded log and events, its end, and the registry's bound on remembered builds. */
class BuildRecordTest {

    @Test
    void log_isBounded_countingWhatItDropped() {
        BuildRecord r = record(100, 3);
        IntStream.range(0, 5).forEach(i -> r.log("line " + i));
        assertThat(r.logSnapshot().getLinesList()).containsExactly("line 2", "line 3", "line 4");
        assertThat(r.logSnapshot().getDropped()).isEqualTo(2);
    }

    @Test
    void events_areBounded_aLateReaderGetsTheNewest_andTheEnd() {
        BuildRecord r = record(10, 100);
        IntStream.range(0, 30).forEach(i -> r.log("line " + i));
        r.succeed(new BuiltImage("reg/fn", "sha256:" + "a".repeat(64), 2));
        EventLog.Slice slice = r.events().read(0, 100);
        assertThat(slice.events()).hasSize(10);
        assertThat(slice.events().get(0).getLog()).isEqualTo("line 21");
        assertThat(slice.end()).isTrue();
        BuildEvent last = slice.events().get(9);
        assertThat(last.getDone().getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_SUCCEEDED);
        assertThat(last.getDone().getImage()).isEqualTo("reg/fn@sha256:" + "a".repeat(64));
    }

    @Test
    void append_neverWaitsForAFollower_andSignalsIt() {
        BuildRecord r = record(1000, 1000);
        List<Integer> signals = new ArrayList<>();
        r.events().subscribe(() -> signals.add(1)); // a follower that never reads
        IntStream.range(0, 500).forEach(i -> r.log("line " + i));
        assertThat(signals).hasSize(501); // one at subscribe, one per event
        assertThat(r.events().read(0, 1000).events()).hasSize(500);
    }

    @Test
    void end_isFinal_laterReportsAreIgnored() {
        BuildRecord r = record(100, 100);
        r.fail("function fn: boom");
        r.succeed(new BuiltImage("reg/fn", "sha256:" + "b".repeat(64), 1));
        r.log("late");
        assertThat(r.status().getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
        assertThat(r.status().getMessage()).isEqualTo("function fn: boom");
        assertThat(r.status().hasFinished()).isTrue();
        assertThat(r.logSnapshot().getLinesList()).isEmpty();
        assertThat(r.finished()).isCompleted();
        assertThat(r.requestCancel("")).isFalse();
    }

    @Test
    void registry_forgetsTheOldestEndedBuilds_neverRunningOnes() {
        BuildRegistry registry = new BuildRegistry(Path.of("/tmp/unused"), Clock.systemUTC(), 2, 10, 10);
        BuildRecord running = registry.create("a");
        BuildRecord ended = registry.create("b");
        ended.fail("x");
        BuildRecord third = registry.create("c");
        assertThat(registry.list("")).extracting(s -> s.getFunction()).containsExactly("c", "a");
        assertThat(registry.get(running.id())).isSameAs(running);
        assertThat(third.id()).matches("[a-z][a-z0-9]{19}").isNotEqualTo(running.id());
    }

    private static BuildRecord record(int maxEvents, int maxLog) {
        return new BuildRecord("b1", "fn", Path.of("/tmp/unused"), Clock.systemUTC(), maxEvents, maxLog);
    }
}
