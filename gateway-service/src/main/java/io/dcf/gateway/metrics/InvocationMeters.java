package io.dcf.gateway.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The invocation meters (docs/metrics.md): every call through the gateway starts an
 * {@link Invocation} and ends it with the status code its caller got. Meters are resolved
 * once per function and cached, so a call costs a map lookup, two counter increments and a
 * histogram record. Label values are deployed function names only: a call to a name the
 * gateway does not know counts under {@link #UNKNOWN}; a deleted function's meters are
 * removed ({@link #forget(String)}).
 *
 * <p>Also the source the rest of the gateway reads without scraping: {@link #inflight(String)}
 * (the autoscaler), {@link #count(String)} ({@code dcf function list}).
 */
public final class InvocationMeters {

    /**
     * The {@code function_name} of calls to names no function has: not a valid function
     * name, so it never clashes with one, and one label value however many names are tried.
     */
    public static final String UNKNOWN = "_unknown";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, FunctionMeters> functions = new ConcurrentHashMap<>();
    private final Timer overhead;

    public InvocationMeters(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
        this.overhead = Timer.builder("dcf.gateway.overhead")
                .description("Time a call spent in the gateway itself: its total time minus the time waiting"
                        + " on the replica (unary calls and HTTP)")
                .serviceLevelObjectives(MeterBuckets.OVERHEAD)
                .register(registry);
    }

    /** Starts a call to the deployed function {@code function}; end it exactly once. */
    public Invocation start(String function) {
        return new Invocation(meters(function), overhead);
    }

    /** Starts a call to a name no function has (counted under {@link #UNKNOWN}). */
    public Invocation startUnknown() {
        return start(UNKNOWN);
    }

    /** Starts a stream to the deployed function {@code function}; end it exactly once. */
    public StreamInvocation startStream(String function) {
        return new StreamInvocation(meters(function));
    }

    /** Calls to {@code function} in flight in this gateway now (unary calls and stream messages awaiting a reply). */
    public int inflight(String function) {
        FunctionMeters meters = functions.get(function);
        return meters == null ? 0 : meters.inflight();
    }

    /** Calls to {@code function} that ended since the gateway started (or since it was last deployed), any code. */
    public long count(String function) {
        FunctionMeters meters = functions.get(function);
        return meters == null ? 0 : meters.ended();
    }

    /** Records the time a request to {@code function} waited for a ready replica (activation). */
    public void queueWait(String function, Duration wait) {
        meters(function).queueWait().record(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records the time one replica of {@code function} took from its start to ready. */
    public void coldStart(String function, Duration startToReady) {
        meters(function).coldStart().record(startToReady.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Removes a deleted function's meters: its names leave the scrape. */
    public void forget(String function) {
        FunctionMeters meters = functions.remove(function);
        if (meters != null) {
            meters.remove();
        }
    }

    /** Removes the meters of every function but {@code known} (and {@link #UNKNOWN}): functions deleted elsewhere. */
    public void retainOnly(Set<String> known) {
        for (String function : functions.keySet()) {
            if (!known.contains(function) && !UNKNOWN.equals(function)) {
                forget(function);
            }
        }
    }

    private FunctionMeters meters(String function) {
        FunctionMeters meters = functions.get(function);
        return meters != null ? meters : functions.computeIfAbsent(function, f -> new FunctionMeters(registry, f));
    }
}
