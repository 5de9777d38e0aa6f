package io.dcf.gateway;

import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.InvokeRequest;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Steady load on one function through a {@link TestGateway}: HTTP and gRPC client threads,
 * each with one call in flight at a time, for at most {@code maxRun}. Every call is recorded
 * (when it ended, how long it took, what it got), so a test can count per second.
 */
final class Load implements AutoCloseable {

    /** One finished call: its end ({@link System#nanoTime()}), duration and outcome ("ok" or the error). */
    record Call(long endNanos, long nanos, String outcome) {
        boolean ok() {
            return outcome.equals("ok");
        }
    }

    private final TestGateway gw;
    private final String function;
    private final long stopAt;
    private final List<Thread> threads = new ArrayList<>();
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;

    private Load(TestGateway gw, String function, Duration maxRun) {
        this.gw = gw;
        this.function = function;
        this.stopAt = System.nanoTime() + maxRun.toNanos();
    }

    /** Starts {@code httpThreads} HTTP and {@code grpcThreads} gRPC callers. */
    static Load start(TestGateway gw, String function, int httpThreads, int grpcThreads, Duration maxRun) {
        Load load = new Load(gw, function, maxRun);
        for (int i = 0; i < httpThreads + grpcThreads; i++) {
            boolean http = i < httpThreads;
            Thread t = new Thread(() -> load.run(http), "load-" + (http ? "http-" : "grpc-") + i);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    int concurrency() {
        return threads.size();
    }

    private void run(boolean http) {
        GatewayGrpc.GatewayBlockingStub grpc = GatewayGrpc.newBlockingStub(gw.channel);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port + "/function/" + function))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("ping")).build();
        while (!stopped && System.nanoTime() < stopAt) {
            long started = System.nanoTime();
            String outcome;
            try {
                if (http) {
                    HttpResponse<String> response = gw.http.send(request, HttpResponse.BodyHandlers.ofString());
                    outcome = response.statusCode() == 200 ? "ok" : "HTTP " + response.statusCode() + " " + response.body();
                } else {
                    grpc.withDeadlineAfter(30, TimeUnit.SECONDS).invoke(InvokeRequest.newBuilder()
                            .setFunction(function).setInput(TestGateway.bytes("ping")).build());
                    outcome = "ok";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                Status status = Status.fromThrowable(e);
                outcome = status.getCode() == Status.Code.UNKNOWN ? e.toString()
                        : "gRPC " + status.getCode() + " " + status.getDescription();
            }
            long ended = System.nanoTime();
            calls.add(new Call(ended, ended - started, outcome));
        }
    }

    /** Calls that ended in [from, to) ({@link System#nanoTime()} values). */
    List<Call> between(long from, long to) {
        return calls.stream().filter(c -> c.endNanos() >= from && c.endNanos() < to).toList();
    }

    /** Successful calls per second in [from, to). */
    double okPerSecond(long from, long to) {
        return between(from, to).stream().filter(Call::ok).count() * 1e9 / (to - from);
    }

    List<Call> all() {
        return List.copyOf(calls);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
