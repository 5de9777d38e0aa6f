package io.dcf.gateway.invoke;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts calls per function since the gateway started. */
public final class InvocationStats {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String function) {
        counts.computeIfAbsent(function, f -> new LongAdder()).increment();
    }

    /** Calls to {@code function} served (successfully or not) since the gateway started. */
    public long count(String function) {
        LongAdder adder = counts.get(function);
        return adder == null ? 0 : adder.sum();
    }

    /** Forgets a deleted function. */
    public void forget(String function) {
        counts.remove(function);
    }
}
