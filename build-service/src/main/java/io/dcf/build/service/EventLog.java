package io.dcf.build.service;

import io.dcf.proto.v1.BuildEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A build's events, numbered from 0, the newest {@code capacity} kept (the oldest dropped
 * first, so a late follower replays what is left). Appending never waits for a follower: it
 * only signals them; each follower reads at its own pace from its own position.
 */
final class EventLog {

    /** Told that events were appended (or the log closed); must return at once. */
    interface Listener {
        void appended();
    }

    private final int capacity;
    private final Deque<BuildEvent> events = new ArrayDeque<>();
    private final Set<Listener> listeners = new CopyOnWriteArraySet<>();
    private long first;
    private boolean closed;

    EventLog(int capacity) {
        this.capacity = capacity;
    }

    void append(BuildEvent event) {
        synchronized (this) {
            if (closed) {
                return;
            }
            events.addLast(event);
            if (events.size() > capacity) {
                events.removeFirst();
                first++;
            }
            closed = event.hasDone();
        }
        listeners.forEach(Listener::appended);
    }

    /** Up to {@code max} events from number {@code from} on (from the oldest kept when older ones were dropped). */
    synchronized Slice read(long from, int max) {
        long start = Math.max(from, first);
        List<BuildEvent> out = new ArrayList<>(Math.min(max, events.size()));
        long index = first;
        for (BuildEvent e : events) {
            if (index >= start && out.size() < max) {
                out.add(e);
            }
            index++;
        }
        return new Slice(out, start + out.size(), closed && start + out.size() == first + events.size());
    }

    /** Events read, the number to read from next, and whether the log is closed and all read. */
    record Slice(List<BuildEvent> events, long next, boolean end) {
    }

    void subscribe(Listener listener) {
        listeners.add(listener);
        listener.appended();
    }

    void unsubscribe(Listener listener) {
        listeners.remove(listener);
    }

    synchronized int followers() {
        return listeners.size();
    }
}
