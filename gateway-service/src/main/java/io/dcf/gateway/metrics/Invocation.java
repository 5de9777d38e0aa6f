package io.dcf.gateway.metrics;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * One call being measured: started when the gateway took it, ended once with the HTTP code
 * its caller got (a gRPC status counts as the HTTP code the one error table gives it).
 * The time spent waiting on replicas is reported by {@link #upstream(long)}, so the
 * gateway's own share of the call is known at its end.
 */
public final class Invocation {

    private final FunctionMeters meters;
    private final Timer overhead;
    private final long start = System.nanoTime();
    private volatile long upstreamNanos;

    Invocation(FunctionMeters meters, Timer overhead) {
        this.meters = meters;
        this.overhead = overhead;
        meters.started();
    }

    /** Adds the time one attempt waited on a replica (request sent to reply received). */
    public void upstream(long nanos) {
        upstreamNanos += nanos; // attempts of one call follow each other: no concurrent update
    }

    /** Ends the call with the HTTP code its caller got. Call exactly once. */
    public void end(int httpCode) {
        long total = System.nanoTime() - start;
        meters.ended(httpCode, total);
        long upstream = upstreamNanos;
        if (upstream > 0) { // the call reached a replica: what is left of its time is the gateway's
            overhead.record(Math.max(0, total - upstream), TimeUnit.NANOSECONDS);
        }
    }
}
