package io.dcf.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/** One function's meters, registered once and reused by every call (the per-code ones on their first use). */
final class FunctionMeters {

    static final String FUNCTION = "function_name";
    private static final int MIN_CODE = 100;
    private static final int MAX_CODE = 599;

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicInteger inflight = new AtomicInteger();
    private final LongAdder started = new LongAdder();
    private final AtomicReferenceArray<CodeMeters> codes = new AtomicReferenceArray<>(MAX_CODE - MIN_CODE + 1);
    private final AtomicReferenceArray<Counter> streams = new AtomicReferenceArray<>(MAX_CODE - MIN_CODE + 1);
    private final List<Meter> registered = new CopyOnWriteArrayList<>();
    private volatile Timer queueWait;
    private volatile Timer coldStart;

    FunctionMeters(MeterRegistry registry, String function) {
        this.registry = registry;
        this.tags = Tags.of(FUNCTION, function);
        // OpenFaaS's names: gateway_function_invocation_started is a counter exposed without "_total"
        // (the Prometheus client 1.x adds "_total" to every counter), so a gauge of a count that only grows.
        registered.add(Gauge.builder("gateway.function.invocation.started", started, LongAdder::sum)
                .description("Calls started (OpenFaaS name; it only grows, use rate())")
                .tags(tags).register(registry));
        registered.add(Gauge.builder("gateway.function.invocation.inflight", inflight, AtomicInteger::get)
                .description("Calls in flight in this gateway")
                .tags(tags).register(registry));
    }

    void started() {
        started.increment();
        inflight.incrementAndGet();
    }

    void ended(int code, long nanos) {
        inflight.decrementAndGet();
        CodeMeters meters = code(code);
        meters.total.increment();
        meters.seconds.record(nanos, TimeUnit.NANOSECONDS);
    }

    void streamEnded(int code) {
        int index = index(code);
        Counter counter = streams.get(index);
        if (counter == null) {
            counter = register(Counter.builder("dcf.function.streams")
                    .description("Streams (Invokes) ended, by the status their caller got as an HTTP code")
                    .tags(tags).tag("code", Integer.toString(index + MIN_CODE)).register(registry));
            if (!streams.compareAndSet(index, null, counter)) {
                counter = streams.get(index);
            }
        }
        counter.increment();
    }

    int inflight() {
        return inflight.get();
    }

    /** Calls ended, whatever their code: the sum of gateway_function_invocation_total's series. */
    long ended() {
        long sum = 0;
        for (int i = 0; i < codes.length(); i++) {
            CodeMeters meters = codes.get(i);
            if (meters != null) {
                sum += (long) meters.total.count();
            }
        }
        return sum;
    }

    Timer queueWait() {
        Timer timer = queueWait;
        if (timer == null) {
            synchronized (this) {
                if (queueWait == null) {
                    queueWait = register(Timer.builder("dcf.function.queue.wait")
                            .description("Time a request waited for a ready replica (activation queue)")
                            .serviceLevelObjectives(MeterBuckets.START).tags(tags).register(registry));
                }
                timer = queueWait;
            }
        }
        return timer;
    }

    Timer coldStart() {
        Timer timer = coldStart;
        if (timer == null) {
            synchronized (this) {
                if (coldStart == null) {
                    coldStart = register(Timer.builder("dcf.function.cold.start")
                            .description("Time from a replica's start to its first ready (once per replica)")
                            .serviceLevelObjectives(MeterBuckets.START).tags(tags).register(registry));
                }
                timer = coldStart;
            }
        }
        return timer;
    }

    void remove() {
        registered.forEach(registry::remove);
    }

    private CodeMeters code(int code) {
        int index = index(code);
        CodeMeters meters = codes.get(index);
        if (meters != null) {
            return meters;
        }
        String label = Integer.toString(index + MIN_CODE);
        CodeMeters created = new CodeMeters(
                register(Counter.builder("gateway.function.invocation")
                        .description("Calls ended, by the status their caller got as an HTTP code")
                        .tags(tags).tag("code", label).register(registry)),
                register(Timer.builder("gateway.functions")
                        .description("Call duration in the gateway, by the status their caller got")
                        .serviceLevelObjectives(MeterBuckets.CALL)
                        .tags(tags).tag("code", label).register(registry)));
        return codes.compareAndSet(index, null, created) ? created : codes.get(index);
    }

    private static int index(int code) {
        return (code < MIN_CODE || code > MAX_CODE ? 500 : code) - MIN_CODE;
    }

    private <M extends Meter> M register(M meter) {
        registered.add(meter);
        return meter;
    }

    private record CodeMeters(Counter total, Timer seconds) {
    }
}
