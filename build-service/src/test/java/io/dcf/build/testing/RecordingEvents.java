package io.dcf.build.kaniko;

import io.dcf.build.BuildEvents;
import io.dcf.proto.v1.BuildPhase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** What a build reported, kept in memory; {@link #cancel} turns {@link #cancelled()} true. */
final class RecordingEvents implements BuildEvents {

    final List<BuildPhase> phases = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    void cancel() {
        cancelled.set(true);
    }

    @Override
    public void phase(BuildPhase phase) {
        phases.add(phase);
    }

    @Override
    public void log(String line) {
        lines.add(line);
    }

    @Override
    public void progress(long done, long total, String unit) {
    }

    @Override
    public boolean cancelled() {
        return cancelled.get();
    }
}
