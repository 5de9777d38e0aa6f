package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.client.ClientFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs the scenarios one after another, {@code rounds} times in the same order
 * (direct gRPC, gateway gRPC, gateway HTTP), each with its own warm-up.
 */
final class Bench {

    private Bench() {
    }

    /** Every measured phase, in the order run; {@code progress} hears one line per phase. */
    static List<PhaseResult> run(BenchOptions options, Consumer<String> progress) throws InterruptedException {
        requireNonNull(options, "options");
        requireNonNull(progress, "progress");
        byte[] payload = payload(options.payloadBytes());
        try (ClientFactory factory = ClientFactory.builder().build()) {
            List<Target> targets = targets(options, factory, payload);
            CpuMeter cpu = new CpuMeter(options.cpuPids());
            List<PhaseResult> results = new ArrayList<>();
            for (int round = 1; round <= options.rounds(); round++) {
                for (Target target : targets) {
                    ClosedLoop loop = new ClosedLoop(target, options.concurrency(), payload.length,
                                                     options.callTimeout());
                    if (!options.warmup().isZero()) {
                        loop.run(options.warmup(), options.maxRequests());
                    }
                    Map<String, Long> before = cpu.snapshot();
                    PhaseResult result = loop.run(options.duration(), options.maxRequests())
                                             .withCpu(CpuMeter.since(before, cpu.snapshot()));
                    results.add(result);
                    progress.accept(String.format("round %d  %-20s %8d requests  %9.0f req/s  %d errors",
                            round, target.name(), result.requests(), result.requestsPerSecond(), result.errors()));
                }
            }
            return results;
        }
    }

    private static List<Target> targets(BenchOptions options, ClientFactory factory, byte[] payload) {
        List<Target> targets = new ArrayList<>();
        options.direct().ifPresent(direct -> targets.add(
                Target.watcherGrpc(factory, direct, options.function(), payload, options.callTimeout())));
        options.gateway().ifPresent(gateway -> {
            targets.add(Target.gatewayGrpc(factory, gateway, options.function(), payload, options.callTimeout()));
            targets.add(Target.gatewayHttp(factory, options.httpProtocol(), gateway, options.function(), payload,
                                           options.callTimeout()));
        });
        return targets;
    }

    /** The same pseudo-random bytes every run: binary, not compressible text. */
    static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
