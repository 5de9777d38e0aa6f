package io.dcf.gateway.metrics;

import java.time.Duration;

/** Histogram buckets: fixed, few (each is one series per label set), chosen per what they measure. */
final class MeterBuckets {

    /** A call's duration: Prometheus's default buckets (as OpenFaaS's gateway), 5 ms to 10 s, plus 30 s and 60 s. */
    static final Duration[] CALL = millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000);

    /** The gateway's own time per call: 50 µs to 50 ms. */
    static final Duration[] OVERHEAD = micros(50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000);

    /** A replica's start to ready, and a request's wait for one: 100 ms to 2 min. */
    static final Duration[] START = millis(100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000);

    private MeterBuckets() {
    }

    private static Duration[] millis(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofMillis(values[i]);
        }
        return out;
    }

    private static Duration[] micros(long... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(values[i] * 1_000);
        }
        return out;
    }
}
