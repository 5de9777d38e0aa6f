package io.dcf.build.testing;

import io.dcf.build.BuildEvents;
import io.dcf.proto.v1.BuildPhase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a build reported, kept in memory; {@link #cancel} turns {@link #cancelled()} true. In the
 * test-jar: the e2e tests record a builder's events with it too.
 */
public final class RecordingEvents implements BuildEvents {

    private final List<BuildPhase> phases = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** The phases reported, in order (a live view). */
    public List<BuildPhase> phases() {
        return phases;
    }

    /** The log lines reported, in order (a live view). */
    public List<String> lines() {
        return lines;
    }

    public void cancel() {
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
