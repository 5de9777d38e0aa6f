package io.dcf.watcher;

import io.dcf.proto.v1.StatsReply;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The replica's own counters, served by {@code dcf.v1.Watcher/Stats}: calls admitted (a
 * {@code Calls} stream is one call for its whole life), in flight, ended, failed, and a
 * latency histogram with the gateway's buckets. Updated once at a call's start and end.
 */
final class CallStats {

    /** A call's end: {@code ok} when it completed, false when it failed, timed out or was cancelled. */
    interface Ended {
        void ended(boolean ok);
    }

    /** Upper bounds of the latency buckets, in seconds (Prometheus's defaults, as the gateway's). */
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final int maxConcurrency;
    private final AtomicInteger inflight = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length);

    CallStats(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    /** An admitted call starts; the returned end must run once. */
    Ended started() {
        inflight.incrementAndGet();
        long start = System.nanoTime();
        return ok -> ended(ok, System.nanoTime() - start);
    }

    private void ended(boolean ok, long took) {
        inflight.decrementAndGet();
        calls.increment();
        if (!ok) {
            errors.increment();
        }
        nanos.add(took);
        double seconds = took / 1e9;
        for (int i = 0; i < BOUNDS.length; i++) {
            if (seconds <= BOUNDS[i]) {
                buckets.incrementAndGet(i);
                break;
            }
        }
    }

    StatsReply snapshot() {
        StatsReply.Builder reply = StatsReply.newBuilder()
                .setInflight(inflight.get())
                .setCalls(calls.sum())
                .setErrors(errors.sum())
                .setLatencySecondsSum(nanos.sum() / 1e9)
                .setMaxConcurrency(maxConcurrency);
        long cumulative = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            cumulative += buckets.get(i);
            reply.addLatencyBucketBounds(BOUNDS[i]).addLatencyBucketCounts(cumulative);
        }
        return reply.build();
    }
}
