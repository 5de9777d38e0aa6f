package io.dcf.build.service;

import com.google.protobuf.Timestamp;
import io.dcf.build.BuildEvents;
import io.dcf.build.BuiltImage;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildLog;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildProgress;
import io.dcf.proto.v1.BuildStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One build: its status, its bounded log and its events ({@link EventLog}). Builders report
 * through it as {@link BuildEvents}; every method is thread-safe and returns at once.
 */
final class BuildRecord implements BuildEvents {

    private final String id;
    private final String function;
    private final Path workDir;
    private final Clock clock;
    private final EventLog events;
    private final int maxLogLines;
    private final Deque<String> log = new ArrayDeque<>();
    private final Instant created;
    private long dropped;
    private BuildPhase phase = BuildPhase.BUILD_PHASE_RECEIVING;
    private String builder = "";
    private BuildStatus done;
    private volatile boolean cancelled;
    private String cancelReason = "";
    private Future<?> task;
    private final CompletableFuture<BuildStatus> finished = new CompletableFuture<>();

    BuildRecord(String id, String function, Path workDir, Clock clock, int maxEvents, int maxLogLines) {
        this.id = id;
        this.function = function;
        this.workDir = workDir;
        this.clock = clock;
        this.events = new EventLog(maxEvents);
        this.maxLogLines = maxLogLines;
        this.created = clock.instant();
    }

    String id() {
        return id;
    }

    String function() {
        return function;
    }

    /** This build's own directory: the bundle, the unpacked sources, the builder's files. */
    Path workDir() {
        return workDir;
    }

    EventLog events() {
        return events;
    }

    synchronized void builder(String name) {
        this.builder = name;
    }

    synchronized String builder() {
        return builder;
    }

    @Override
    public void phase(BuildPhase next) {
        synchronized (this) {
            if (done != null || phase == next) {
                return;
            }
            phase = next;
        }
        events.append(event().build());
    }

    @Override
    public void log(String line) {
        synchronized (this) {
            if (done != null) {
                return;
            }
            log.addLast(line);
            if (log.size() > maxLogLines) {
                log.removeFirst();
                dropped++;
            }
        }
        events.append(event().setLog(line).build());
    }

    @Override
    public void progress(long completed, long total, String unit) {
        if (ended()) {
            return;
        }
        events.append(event().setProgress(BuildProgress.newBuilder().setDone(completed).setTotal(total).setUnit(unit))
                .build());
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    /**
     * Marks the build cancelled and interrupts its task; false when it had already ended.
     *
     * @param reason empty for a user's Cancel; else why the service stopped it (a time-out, shutdown)
     */
    boolean requestCancel(String reason) {
        Future<?> running;
        synchronized (this) {
            if (done != null) {
                return false;
            }
            if (!cancelled) {
                cancelReason = reason;
            }
            cancelled = true;
            running = task;
        }
        if (running != null) {
            running.cancel(true);
        }
        return true;
    }

    /** Why the service stopped the build (empty: a user cancelled it). */
    synchronized String cancelReason() {
        return cancelReason;
    }

    synchronized void task(Future<?> future) {
        this.task = future;
    }

    void succeed(BuiltImage image) {
        end(BuildPhase.BUILD_PHASE_SUCCEEDED, "", image);
    }

    void fail(String message) {
        end(BuildPhase.BUILD_PHASE_FAILED, message, null);
    }

    void cancel(String message) {
        end(BuildPhase.BUILD_PHASE_CANCELLED, message, null);
    }

    private void end(BuildPhase last, String message, BuiltImage image) {
        BuildStatus status;
        synchronized (this) {
            if (done != null) {
                return;
            }
            phase = last;
            BuildStatus.Builder b = statusBuilder().setMessage(message).setFinished(timestamp(clock.instant()));
            if (image != null) {
                b.setImage(image.reference()).setDigest(image.digest()).setLayers(image.layers());
            }
            done = b.build();
            status = done;
        }
        events.append(event().setPhase(last).setDone(status).build());
        finished.complete(status);
    }

    /** Completes with the final status when the build ends. */
    CompletableFuture<BuildStatus> finished() {
        return finished;
    }

    synchronized boolean ended() {
        return done != null;
    }

    synchronized BuildStatus status() {
        return done != null ? done : statusBuilder().build();
    }

    synchronized BuildLog logSnapshot() {
        return BuildLog.newBuilder().setId(id).addAllLines(log).setDropped(dropped).build();
    }

    synchronized BuildPhase phase() {
        return phase;
    }

    private BuildStatus.Builder statusBuilder() {
        return BuildStatus.newBuilder().setId(id).setFunction(function).setPhase(phase).setBuilder(builder)
                .setCreated(timestamp(created));
    }

    private synchronized BuildEvent.Builder event() {
        return BuildEvent.newBuilder().setId(id).setPhase(phase).setTime(timestamp(clock.instant()));
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
