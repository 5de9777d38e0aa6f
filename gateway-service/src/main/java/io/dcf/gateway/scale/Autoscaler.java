package io.dcf.gateway.scale;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.scale.ScaleDecider.Bounds;
import io.dcf.gateway.scale.ScaleDecider.Decision;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales autoscaled functions ({@link ScaleSpecs#autoscaled}) by load: every tick, on one
 * scheduler thread, each function's calls in flight to its replicas (the gateway's count or the
 * replica's own report, the larger: {@link ReplicaLoads#inflight}) plus those waiting in the
 * {@link ActivationQueues} are sampled, its {@link ScaleDecider} decides, and a changed count
 * goes to {@link FunctionBackend#autoscale} on an applying thread (one change per function at a
 * time: a scale down may wait for drains). A call waiting for a function at zero wakes it at
 * once, not at the next tick. Functions without a scale spec, or in hpa mode, are left alone.
 */
public final class Autoscaler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Autoscaler.class);

    private final FunctionBackend backend;
    private final EndpointResolver resolver;
    private final ActivationQueues queues;
    private final ToLongFunction<String> started;
    private final ReplicaLoads loads;
    private final AutoscalerSettings settings;
    private final LongSupplier clockMillis;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService applier;
    /** Touched by the scheduler thread only. */
    private final Map<String, FunctionState> states = new ConcurrentHashMap<>();
    private final Set<String> applying = ConcurrentHashMap.newKeySet();

    private static final class FunctionState {
        final ScaleDecider decider;
        long started;

        FunctionState(ScaleDecider decider, long started) {
            this.decider = decider;
            this.started = started;
        }
    }

    /**
     * @param started calls started per function since the gateway started (any counter: a change is activity)
     * @param loads   the replicas' own in-flight reports ({@link ReplicaLoads#NONE}: the gateway's counts only)
     */
    public Autoscaler(FunctionBackend backend, EndpointResolver resolver, ActivationQueues queues,
                      ToLongFunction<String> started, ReplicaLoads loads, AutoscalerSettings settings) {
        this.backend = requireNonNull(backend, "backend");
        this.resolver = requireNonNull(resolver, "resolver");
        this.queues = requireNonNull(queues, "queues");
        this.started = requireNonNull(started, "started");
        this.loads = requireNonNull(loads, "loads");
        this.settings = requireNonNull(settings, "settings");
        this.clockMillis = () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dcf-autoscaler");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger n = new AtomicInteger();
        this.applier = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dcf-autoscaler-apply-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        queues.onWaiting(function -> scheduler.execute(() -> activate(function)));
    }

    /** Starts ticking. */
    public Autoscaler start() {
        long tick = settings.tick().toMillis();
        scheduler.scheduleWithFixedDelay(this::tickSafely, tick, tick, TimeUnit.MILLISECONDS);
        log.info("Autoscaler started tick={} ms stable-window={} s panic-window={} s", tick,
                settings.decider().stableWindow().toSeconds(), settings.decider().panicWindow().toSeconds());
        return this;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Autoscaler tick failed: {}", e.toString());
        }
    }

    private void tick() {
        long now = clockMillis.getAsLong();
        Set<String> seen = new HashSet<>();
        for (FunctionStatus status : backend.list()) {
            FunctionSpec spec = status.getSpec();
            if (!ScaleSpecs.autoscaled(spec)) {
                continue;
            }
            String name = spec.getName();
            seen.add(name);
            FunctionState state = state(name, now);
            int inflight = inflight(name) + queues.queued(name);
            long calls = started.applyAsLong(name);
            state.decider.sample(now, inflight, calls != state.started);
            state.started = calls;
            Decision decision = state.decider.decide(now, status.getReplicas(), status.getReadyReplicas(), bounds(spec));
            log.debug("Autoscaler function={} inflight={} replicas={} ready={} desired={}: {}", name, inflight,
                    status.getReplicas(), status.getReadyReplicas(), decision.desired(), decision.reason());
            if (decision.desired() != status.getReplicas()) {
                apply(name, status.getReplicas(), decision.desired(), decision.reason());
            }
        }
        states.keySet().retainAll(seen);
        queues.dispatchAll();
    }

    /** A call waits for {@code function}: at zero replicas, start its first now. */
    private void activate(String function) {
        try {
            FunctionStatus status = backend.get(function);
            if (!ScaleSpecs.autoscaled(status.getSpec()) || status.getReplicas() > 0) {
                return;
            }
            state(function, clockMillis.getAsLong()).decider.touch(clockMillis.getAsLong());
            int replicas = Math.max(1, ScaleSpecs.floor(status.getSpec()));
            apply(function, 0, Math.min(replicas, ScaleSpecs.ceiling(status.getSpec(), settings.maxReplicas())),
                    "activation: a call waits for a replica");
        } catch (FunctionNotFoundException e) {
            // deleted meanwhile: the queue fails its calls with NOT_FOUND
        } catch (RuntimeException e) {
            log.warn("Cannot activate function={}: {}", function, e.toString());
        }
    }

    private FunctionState state(String function, long now) {
        return states.computeIfAbsent(function, f -> new FunctionState(new ScaleDecider(settings.decider(), now),
                started.applyAsLong(f)));
    }

    private Bounds bounds(FunctionSpec spec) {
        return new Bounds(ScaleSpecs.floor(spec), ScaleSpecs.ceiling(spec, settings.maxReplicas()),
                ScaleSpecs.target(spec, settings.targetInflight()), ScaleSpecs.zeroAfter(spec));
    }

    private int inflight(String function) {
        try {
            return ReplicaLoads.inflight(resolver.route(function).endpoints(), loads);
        } catch (FunctionNotFoundException e) {
            return 0;
        }
    }

    private void apply(String function, int from, int to, String reason) {
        if (to == 0 && queues.queued(function) > 0) {
            return; // never to zero under waiting calls
        }
        if (!applying.add(function)) {
            return; // the previous change is still under way; the next tick decides again
        }
        applier.execute(() -> {
            try {
                backend.autoscale(function, to);
                log.info("Autoscaled function={} replicas={} -> {}: {}", function, from, to, reason);
            } catch (FunctionNotFoundException e) {
                log.debug("Not autoscaling function={}: deleted", function);
            } catch (RuntimeException e) {
                log.warn("Cannot autoscale function={} to replicas={}: {}", function, to, e.getMessage());
            } finally {
                applying.remove(function);
            }
        });
    }

    /** Stops ticking and applying (a change under way is interrupted; replicas stay as they are). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        applier.shutdownNow();
    }
}
