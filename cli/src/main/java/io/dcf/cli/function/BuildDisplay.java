package io.dcf.cli.function;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a build as it goes: {@code text} prints phase lines, upload bytes (every tenth),
 * layers and the build's log lines; {@code json} prints each event as one line of protobuf
 * JSON (the upload as RECEIVING progress events); {@code quiet} prints only the image.
 */
final class BuildDisplay {

    /** How a build is shown. */
    enum Mode { TEXT, JSON, QUIET }

    private final PrintStream out;
    private final Mode mode;
    private BuildPhase phase = BuildPhase.BUILD_PHASE_UNSPECIFIED;
    private long lastTenth = -1;

    BuildDisplay(PrintStream out, Mode mode) {
        this.out = out;
        this.mode = mode;
    }

    /** A build starts: {@code line} says what goes where. */
    void starting(String line) {
        if (mode == Mode.TEXT) {
            out.println(line);
        }
    }

    /** {@code sent} of {@code total} bundle bytes are uploaded. */
    void uploaded(long sent, long total) {
        long tenth = total == 0 ? 10 : sent * 10 / total;
        if (tenth == lastTenth) {
            return;
        }
        lastTenth = tenth;
        if (mode == Mode.TEXT) {
            out.println("  uploading: " + mib(sent) + " of " + mib(total));
        } else if (mode == Mode.JSON) {
            json(BuildEvent.newBuilder().setPhase(BuildPhase.BUILD_PHASE_RECEIVING).setProgress(
                    io.dcf.proto.v1.BuildProgress.newBuilder().setDone(sent).setTotal(total).setUnit("bytes")));
        }
    }

    /** The build was accepted as {@code id}. */
    void accepted(String id) {
        if (mode == Mode.TEXT) {
            out.println("  build: " + id);
        }
    }

    void event(BuildEvent event) {
        if (mode == Mode.JSON) {
            json(event);
            return;
        }
        if (mode == Mode.QUIET) {
            return;
        }
        if (event.getPhase() != phase && !event.hasDone()) {
            phase = event.getPhase();
            out.println("  phase: " + name(phase));
        }
        switch (event.getDetailCase()) {
            case LOG -> {
                if (!event.getLog().isBlank()) {
                    out.println("  | " + event.getLog());
                }
            }
            case PROGRESS -> {
                if (shown(event.getPhase(), event.getProgress())) {
                    out.println("  " + name(event.getPhase()) + ": " + progress(event.getProgress()));
                }
            }
            default -> {
            }
        }
    }

    /** The gateway hands what it built to its backend ({@code DeployFollow}'s {@code deploying}). */
    void deploying(String what) {
        if (mode == Mode.TEXT) {
            out.println("  " + what);
        } else if (mode == Mode.JSON) {
            json(io.dcf.proto.v1.DeployEvent.newBuilder().setDeploying(what));
        }
    }

    /** A log line of a build made here (Jib's lifecycle messages). */
    void log(String line) {
        if (mode == Mode.TEXT) {
            out.println("  | " + line);
        } else if (mode == Mode.JSON) {
            json(BuildEvent.newBuilder().setPhase(BuildPhase.BUILD_PHASE_BUILDING).setLog(line));
        }
    }

    /** The build ended with an image. */
    void built(String function, BuildStatus status) {
        switch (mode) {
            case TEXT -> out.println("Built: " + function + " -> " + status.getImage()
                    + (status.getLayers() > 0 ? " (" + status.getLayers() + " layers)" : ""));
            case QUIET -> out.println(status.getImage());
            case JSON -> {
            }
        }
    }

    /**
     * Whether a progress event is worth a line: layers always; bytes at each tenth (the upload's
     * RECEIVING bytes never: the CLI showed them while sending).
     */
    private boolean shown(BuildPhase phase, io.dcf.proto.v1.BuildProgress p) {
        if (!"bytes".equals(p.getUnit())) {
            return true;
        }
        if (phase == BuildPhase.BUILD_PHASE_RECEIVING) {
            return false;
        }
        long tenth = p.getTotal() <= 0 ? -2 : p.getDone() * 10 / p.getTotal();
        boolean changed = tenth != lastTenth;
        lastTenth = tenth;
        return changed;
    }

    /** {@code BUILD_PHASE_PUSHING} as {@code pushing}. */
    static String name(BuildPhase phase) {
        return phase.name().substring("BUILD_PHASE_".length()).toLowerCase(Locale.ROOT);
    }

    private static String progress(io.dcf.proto.v1.BuildProgress p) {
        if ("bytes".equals(p.getUnit())) {
            return mib(p.getDone()) + (p.getTotal() > 0 ? " of " + mib(p.getTotal()) : "");
        }
        return p.getUnit().replaceAll("s$", "") + " " + p.getDone() + (p.getTotal() > 0 ? " of " + p.getTotal() : "");
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }

    private void json(MessageOrBuilder message) {
        try {
            out.println(JsonFormat.printer().omittingInsignificantWhitespace().print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
