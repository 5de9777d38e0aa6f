package io.dcf.gateway;

import static io.dcf.gateway.TestGateway.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeReply;
import io.dcf.proto.v1.InvokeRequest;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload (section 4 of issue 6): a function with two slots per replica and a slow
 * handler gets ten to twenty times that many calls at once, over HTTP and gRPC, in
 * waves. Every call ends 200/OK or 429/RESOURCE_EXHAUSTED, none hangs, and the live heap
 * of the gateway (its own process, measured after a full GC with {@code jcmd
 * GC.class_histogram}) does not grow with the load.
 */
class OverloadIT {

    private static final int SLOTS = 2;
    private static final int HTTP_CALLS = 20;
    private static final int GRPC_CALLS = 20;
    private static final int WAVES = 10;
    /** Generous: an admitted call takes about 300 ms, a refused one should take milliseconds. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;

    static Process gateway;
    static int port;
    static ManagedChannel managed;
    static Channel channel;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        Path home = tmp.resolve("home");
        List<String> command = TestGateway.processCommand(TestGateway.GATEWAY_JAR, home, TestGateway.WATCHER_JAR,
                TestGateway.RUNTIMES, "-Xmx256m");
        command.addAll(List.of("--dcf.gateway.local.max-concurrency=" + SLOTS,
                "--logging.file.name=" + home.resolve("logs/gateway.log"), "--logging.threshold.console=OFF"));
        gateway = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("gateway.out").toFile()).start();
        await().atMost(Duration.ofSeconds(120)).until(() -> TestGateway.publishedPort(home) > 0
                && Files.exists(home.resolve("token")));
        port = TestGateway.publishedPort(home);
        managed = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channel = TestGateway.withToken(managed, Files.readString(home.resolve("token")).strip());
        Path src = TestGateway.javaFunction(tmp, "slow", """
                    @Override
                    public Response handle(Request request) throws Exception {
                        Thread.sleep(300);
                        return Response.of(request.input());
                    }
                """);
        GatewayGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS).deploy(DeployRequest.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName("slow").setRuntime("java")
                        .setHandler(HandlerRef.newBuilder().setName("Handler")))
                .setArtifact(Artifact.newBuilder().setLocalPath(src.toString())).build());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (managed != null) {
            managed.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    @Test
    void tenTimesTheSlots_getsQuick429s_neverAHang_andTheHeapStaysFlat() throws Exception {
        for (int i = 0; i < 20; i++) { // warm up: class loading, connection pools, JIT
            assertThat(post("warm").get(60, TimeUnit.SECONDS).code()).isEqualTo(200);
        }
        long heapBefore = liveHeapBytes();

        List<Outcome> outcomes = new ArrayList<>();
        for (int wave = 0; wave < WAVES; wave++) {
            List<CompletableFuture<Outcome>> calls = new ArrayList<>();
            for (int i = 0; i < HTTP_CALLS; i++) {
                calls.add(post("http " + i));
            }
            for (int i = 0; i < GRPC_CALLS; i++) {
                calls.add(invoke("grpc " + i));
            }
            for (CompletableFuture<Outcome> call : calls) {
                outcomes.add(call.get(BOUND.toSeconds() * 3, TimeUnit.SECONDS));
            }
        }
        long heapAfter = liveHeapBytes();

        List<Outcome> refused = outcomes.stream().filter(o -> o.code() == 429).toList();
        List<Outcome> served = outcomes.stream().filter(o -> o.code() == 200).toList();
        System.out.printf("OVERLOAD calls=%d served=%d refused=%d refused-ms(p50/max)=%d/%d served-ms(max)=%d"
                        + " live-heap-kib(before/after)=%d/%d rss-kib=%d%n", outcomes.size(), served.size(),
                refused.size(), percentile(refused, 50), percentile(refused, 100), percentile(served, 100),
                heapBefore >> 10, heapAfter >> 10, rssKib());
        assertThat(outcomes).hasSize(WAVES * (HTTP_CALLS + GRPC_CALLS))
                .allSatisfy(o -> assertThat(o.code()).as(o.toString()).isIn(200, 429))
                .allSatisfy(o -> assertThat(o.elapsed()).as(o.toString()).isLessThan(BOUND));
        assertThat(refused).as("more calls than slots are refused").isNotEmpty();
        assertThat(served).as("the slots keep serving").isNotEmpty();
        assertThat(heapAfter).as("live heap after the load, bytes").isLessThan(heapBefore + (64L << 20));
    }

    /** One call: 200 or 429 (gRPC OK and RESOURCE_EXHAUSTED count as these), anything else as itself. */
    record Outcome(String call, int code, Duration elapsed) {
    }

    private static CompletableFuture<Outcome> post(String body) {
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/function/slow"))
                .timeout(BOUND.multipliedBy(2)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> new Outcome("POST " + body + (error != null ? " " + error : ""),
                        error != null ? -1 : response.statusCode(), Duration.ofNanos(System.nanoTime() - started)));
    }

    private static CompletableFuture<Outcome> invoke(String input) {
        long started = System.nanoTime();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        GatewayGrpc.newStub(channel).withDeadlineAfter(BOUND.toSeconds() * 2, TimeUnit.SECONDS).invoke(
                InvokeRequest.newBuilder().setFunction("slow").setInput(bytes(input)).build(),
                new StreamObserver<InvokeReply>() {
                    @Override
                    public void onNext(InvokeReply value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        int code = status.getCode() == Status.Code.RESOURCE_EXHAUSTED ? 429 : -1;
                        outcome.complete(new Outcome("Invoke " + input + " " + status, code,
                                Duration.ofNanos(System.nanoTime() - started)));
                    }

                    @Override
                    public void onCompleted() {
                        outcome.complete(new Outcome("Invoke " + input, 200, Duration.ofNanos(System.nanoTime() - started)));
                    }
                });
        return outcome;
    }

    private static long percentile(List<Outcome> outcomes, int p) {
        List<Long> millis = outcomes.stream().map(o -> o.elapsed().toMillis()).sorted().toList();
        return millis.isEmpty() ? 0 : millis.get(Math.max(0, (int) Math.ceil(p / 100.0 * millis.size()) - 1));
    }

    /** The gateway's live heap: {@code jcmd GC.class_histogram} runs a full GC and totals what survives. */
    private static long liveHeapBytes() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(gateway.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String total = out.lines().filter(line -> line.startsWith("Total")).findFirst().orElseThrow(
                () -> new AssertionError("no total in jcmd output: " + out));
        String[] fields = total.trim().split("\\s+");
        return Long.parseLong(fields[fields.length - 1]);
    }

    private static long rssKib() throws IOException {
        return Files.readAllLines(Path.of("/proc/" + gateway.pid() + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElse(-1);
    }
}
