package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.client.ClientFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs the scenarios one after another, {@code rounds} times in the same order
 * (direct gRPC, gateway gRPC, gateway HTTP, then per frame size the direct and the
 * gateway stream), each with its own warm-up.
 */
final class Bench {

    /** Load run while perf attaches, before a measured phase it counts. */
    private static final Duration PERF_SETTLE = Duration.ofMillis(500);

    private Bench() {
    }

    private static long calls(PhaseResult result) {
        return result.requests() + result.errors();
    }

    /** Every measured phase, in the order run; {@code progress} hears one line per phase. */
    static List<PhaseResult> run(BenchOptions options, Consumer<String> progress) throws InterruptedException {
        requireNonNull(options, "options");
        requireNonNull(progress, "progress");
        byte[] payload = payload(options.payloadBytes());
        try (ClientFactory factory = ClientFactory.builder().build()) {
            List<Phase> phases = phases(options, factory, payload);
            CpuMeter cpu = new CpuMeter(options.cpuPids());
            PerfStat perf = options.perfEvents().isEmpty() ? null : new PerfStat(options.perfEvents(), options.cpuPids());
            List<PhaseResult> results = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                for (Phase phase : phases) {
                    if (!options.warmup().isZero()) {
                        phase.run(options.warmup());
                    }
                    PerfStat.Counting counting = perf == null ? null : perf.start();
                    // perf needs a moment to attach: it counts a short settle too, whose calls it is divided by
                    PhaseResult settle = counting == null ? null : phase.run(PERF_SETTLE);
                    Map<String, Long> before = cpu.snapshot();
                    PhaseResult result = phase.run(options.duration()).withCpu(CpuMeter.since(before, cpu.snapshot()));
                    if (counting != null) {
                        result = result.withPerf(counting.stop(), calls(settle) + calls(result));
                    }
                    results.add(result);
                    progress.accept(String.format("round %d  %-24s %8d %s  %9.0f /s  %d errors", round,
                            result.scenario(), result.requests(), result.isStream() ? "frames  " : "requests",
                            result.requestsPerSecond(), result.errors()));
                }
            }
            return results;
        }
    }

    /** One measurable phase: unary calls (a closed loop, or paced at a rate) or one stream of frames. */
    private interface Phase {
        PhaseResult run(Duration duration) throws InterruptedException;
    }

    private static List<Phase> phases(BenchOptions options, ClientFactory factory, byte[] payload) {
        List<Target> targets = new ArrayList<>();
        options.direct().filter(d -> options.runs("direct")).ifPresent(direct -> targets.add(
                Target.watcherGrpc(factory, direct, options.function(), payload, options.callTimeout())));
        options.gateway().ifPresent(gateway -> {
            if (options.runs("grpc")) {
                targets.add(Target.gatewayGrpc(factory, gateway, options.function(), payload, options.callTimeout()));
            }
            if (options.runs("http")) {
                targets.add(Target.gatewayHttp(factory, options.httpProtocol(), gateway, options.function(), payload,
                                               options.callTimeout()));
            }
        });
        List<Phase> phases = new ArrayList<>();
        for (Target target : targets) {
            if (options.pacing().isPresent()) {
                PacedLoop loop = new PacedLoop(target, options.pacing().get(), options.concurrency(), payload.length,
                                               options.callTimeout());
                phases.add(duration -> loop.run(duration, options.maxRequests()));
            } else {
                ClosedLoop loop = new ClosedLoop(target, options.concurrency(), payload.length, options.callTimeout());
                phases.add(duration -> loop.run(duration, options.maxRequests()));
            }
        }
        if (options.runs("stream")) {
            List<StreamTarget> streams = new ArrayList<>();
            options.direct().ifPresent(direct -> streams.add(StreamTarget.watcher(factory, direct, options.function())));
            options.gateway().ifPresent(gw -> streams.add(StreamTarget.gateway(factory, gw, options.function())));
            for (int size : options.streamFrames()) {
                for (StreamTarget target : streams) {
                    StreamLoop loop = new StreamLoop(target, payload(size), options.callTimeout());
                    phases.add(loop::run);
                }
            }
        }
        return phases;
    }

    /** The same pseudo-random bytes every run: binary, not compressible text. */
    static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
