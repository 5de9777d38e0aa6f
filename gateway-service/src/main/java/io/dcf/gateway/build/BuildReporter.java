package io.dcf.gateway.build;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;
import java.time.Instant;

/**
 * Turns what a build made by the gateway does into {@link BuildEvent}s with its id: a phase
 * change, then log lines (at most {@link #MAX_LINES} per build, each cut at {@link #MAX_LINE_CHARS}
 * characters, so a chatty pip cannot flood a caller; the gateway's own log keeps the rest),
 * then the {@code done} event. Thread-safe.
 */
public final class BuildReporter {

    /** The most log lines one build sends to its listener. */
    public static final int MAX_LINES = 200;
    /** The longest log line sent, in characters. */
    public static final int MAX_LINE_CHARS = 1000;

    private final String id;
    private final String function;
    private final BuildListener listener;
    private final Instant created = Instant.now();
    private BuildPhase phase = BuildPhase.BUILD_PHASE_UNSPECIFIED;
    private int lines;
    private long dropped;

    public BuildReporter(String id, String function, BuildListener listener) {
        this.id = requireNonNull(id, "id");
        this.function = requireNonNull(function, "function");
        this.listener = requireNonNull(listener, "listener");
    }

    public String id() {
        return id;
    }

    /** Enters {@code next}; an event tells the listener when it is a new phase. */
    public synchronized void phase(BuildPhase next) {
        if (next != phase) {
            phase = next;
            listener.event(event().build());
        }
    }

    /** A line of the build's log, in the current phase (dropped past {@link #MAX_LINES}). */
    public synchronized void log(String line) {
        if (lines >= MAX_LINES) {
            dropped++;
            return;
        }
        lines++;
        String cut = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line;
        listener.event(event().setLog(cut).build());
    }

    /** The build succeeded: the last event. */
    public void succeeded() {
        end(BuildPhase.BUILD_PHASE_SUCCEEDED, "");
    }

    /** The build failed with {@code message}: the last event. */
    public void failed(String message) {
        end(BuildPhase.BUILD_PHASE_FAILED, message == null ? "" : message);
    }

    private synchronized void end(BuildPhase result, String message) {
        if (dropped > 0) {
            listener.event(event().setLog("(" + dropped + " more lines in the gateway's log)").build());
        }
        phase = result;
        Instant now = Instant.now();
        listener.event(event().setDone(BuildStatus.newBuilder().setId(id).setFunction(function).setPhase(result)
                .setBuilder("gateway").setMessage(message).setCreated(timestamp(created))
                .setFinished(timestamp(now))).build());
    }

    private BuildEvent.Builder event() {
        return BuildEvent.newBuilder().setId(id).setPhase(phase).setTime(timestamp(Instant.now()));
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
