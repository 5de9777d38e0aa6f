package io.dcf.build.jib;

import com.google.cloud.tools.jib.event.events.ProgressEvent;
import io.dcf.build.BuildEvents;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns Jib's progress of pushing blobs (one allocation "pushing blob sha256:..." per layer and
 * one for the config; a blob the registry has already completes at once) into build progress:
 * bytes pushed (at most every {@value #STEP} bytes) and layers done.
 */
final class PushProgress implements Consumer<ProgressEvent> {

    private static final String PUSHING = "pushing blob ";
    private static final long STEP = 1 << 20;

    private final BuildEvents events;
    private final Map<String, long[]> blobs = new HashMap<>();
    private long bytesDone;
    private long bytesTotal;
    private long reported;
    private int completed;

    PushProgress(BuildEvents events) {
        this.events = events;
    }

    @Override
    public synchronized void accept(ProgressEvent event) {
        String description = event.getAllocation().getDescription();
        if (!description.startsWith(PUSHING)) {
            return;
        }
        long[] blob = blobs.computeIfAbsent(description, d -> {
            long size = event.getAllocation().getAllocationUnits();
            bytesTotal += size;
            return new long[] {size, 0};
        });
        long units = Math.min(event.getUnits(), blob[0] - blob[1]);
        blob[1] += units;
        bytesDone += units;
        if (blob[1] >= blob[0] && units > 0 || blob[0] == 0) {
            completed++;
            events.progress(completed, blobs.size(), "layers");
        }
        if (bytesDone - reported >= STEP || bytesDone == bytesTotal) {
            reported = bytesDone;
            events.progress(bytesDone, bytesTotal, "bytes");
        }
    }

    /** The blobs pushed or found: the image's layers and its config. */
    synchronized int blobs() {
        return blobs.size();
    }
}
