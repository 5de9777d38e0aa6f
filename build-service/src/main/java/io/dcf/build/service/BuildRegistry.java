package io.dcf.build.service;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.BuildStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The builds the service remembers, by id: every build that has not ended, and the newest
 * {@code remembered} ones in all (past that, the oldest ended builds are forgotten first).
 */
final class BuildRegistry {

    private final Path workRoot;
    private final Clock clock;
    private final int remembered;
    private final int maxEvents;
    private final int maxLogLines;
    private final Map<String, BuildRecord> builds = new LinkedHashMap<>();

    BuildRegistry(Path workRoot, Clock clock, int remembered, int maxEvents, int maxLogLines) {
        this.workRoot = requireNonNull(workRoot, "workRoot");
        this.clock = requireNonNull(clock, "clock");
        this.remembered = remembered;
        this.maxEvents = maxEvents;
        this.maxLogLines = maxLogLines;
    }

    /** A new build of {@code function}, RECEIVING, with its own work directory (not created yet). */
    synchronized BuildRecord create(String function) {
        String id;
        do {
            id = BuildIds.next();
        } while (builds.containsKey(id));
        BuildRecord record = new BuildRecord(id, function, workRoot.resolve(id), clock, maxEvents, maxLogLines);
        builds.put(id, record);
        forgetOldest();
        return record;
    }

    /** The build {@code id}; NOT_FOUND when unknown or forgotten. */
    synchronized BuildRecord get(String id) {
        BuildRecord record = builds.get(id);
        if (record == null) {
            throw BuildServiceException.notFound(id);
        }
        return record;
    }

    /** The statuses of the builds remembered, newest first; only {@code function}'s unless it is empty. */
    synchronized List<BuildStatus> list(String function) {
        List<BuildStatus> out = new ArrayList<>();
        for (BuildRecord r : builds.values()) {
            if (function.isEmpty() || r.function().equals(function)) {
                out.add(r.status());
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** Every build that has not ended (to cancel them on shutdown). */
    synchronized List<BuildRecord> running() {
        return builds.values().stream().filter(r -> !r.ended()).toList();
    }

    private void forgetOldest() {
        Iterator<BuildRecord> it = builds.values().iterator();
        int excess = builds.size() - remembered;
        while (excess > 0 && it.hasNext()) {
            if (it.next().ended()) {
                it.remove();
                excess--;
            }
        }
    }
}
