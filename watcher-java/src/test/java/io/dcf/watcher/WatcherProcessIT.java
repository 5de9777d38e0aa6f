package io.dcf.watcher;

import static io.dcf.watcher.TestWatcher.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.StatsReply;
import io.dcf.proto.v1.StatsRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.dcf.watcher.fixtures.ScriptedHandler;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real shaded jar, {@code java -jar target/dcf-watcher.jar}, as the gateway does. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WatcherProcessIT {

    private static final Path JAR = Path.of(System.getProperty("dcf.watcher.jar", "target/dcf-watcher.jar"));
    private static final Path TEST_CLASSES = Path.of(System.getProperty("dcf.watcher.testClasses", "target/test-classes"));

    @TempDir
    Path dir;

    private Process process;
    private ManagedChannel channel;

    @BeforeEach
    void setUp() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(90));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shadedJar_servesCalls_andExitsZeroOnSigterm() throws Exception {
        int port = startServing(Map.of());

        String answer = WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .call(request("over the wire")).getOutput().toStringUtf8();
        assertThat(answer).isEqualTo("over the wire");

        process.destroy(); // SIGTERM

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isZero();
        assertThat(log()).contains("function=it listening on 127.0.0.1:" + port, "function=it serving",
                "function=it draining", "function=it stopped");
    }

    @Test
    void stats_countCallsStreamsErrorsAndInflight_overTheWire() throws Exception {
        startServing(Map.of("DCF_MAX_CONCURRENCY", "8"));
        WatcherGrpc.WatcherBlockingStub watcher = WatcherGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            watcher.call(request("hi"));
        }
        assertThatThrownBy(() -> watcher.call(request("throw:no"))).isInstanceOf(StatusRuntimeException.class);
        StreamRecorder replies = new StreamRecorder();
        StreamObserver<CallRequest> stream = WatcherGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .calls(replies);
        stream.onNext(request("s1"));
        stream.onNext(request("s2"));
        stream.onCompleted();
        replies.done.get(30, TimeUnit.SECONDS);
        assertThat(replies.replies).hasSize(2);

        ListenableFuture<CallReply> sleeping = WatcherGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).call(request("sleep:60000"));
        await().until(() -> stats().getInflight() == 1);
        StatsReply during = stats();
        sleeping.cancel(true); // the caller gives up: an error for the replica
        await().until(() -> stats().getInflight() == 0 && stats().getCalls() == 6);
        StatsReply after = stats();

        assertThat(during.getCalls()).isEqualTo(5); // 3 calls, 1 failed call, 1 stream
        assertThat(during.getErrors()).isEqualTo(1);
        assertThat(during.getMaxConcurrency()).isEqualTo(8);
        assertThat(after.getErrors()).isEqualTo(2);
        assertThat(after.getLatencyBucketBoundsList()).hasSize(after.getLatencyBucketCountsCount()).isSorted();
        assertThat(after.getLatencyBucketCountsList()).isSorted().allMatch(c -> c <= 6);
        assertThat(after.getLatencySecondsSum()).isPositive();
    }

    private StatsReply stats() {
        return WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .stats(StatsRequest.getDefaultInstance());
    }

    @Test
    void exitWithParent_endOfStandardInput_drainsAndExitsZero() throws Exception {
        startServing(Map.of("DCF_EXIT_WITH_PARENT", "true"));

        process.getOutputStream().close();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isZero();
        assertThat(log()).contains("standard input closed", "function=it stopped");
    }

    @Test
    void replicaSecret_fromStandardInput_isRequiredForCalls_butNotForHealth() throws Exception {
        process = start(Map.of("DCF_REPLICA_SECRET_STDIN", "true", "DCF_EXIT_WITH_PARENT", "true"));
        process.getOutputStream().write("s3cret-for-this-replica\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        startServing(process);
        WatcherGrpc.WatcherBlockingStub stub = WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);

        io.grpc.StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> stub.call(request("around the gateway")), io.grpc.StatusRuntimeException.class);
        io.grpc.Metadata wrong = new io.grpc.Metadata();
        wrong.put(ReplicaSecret.HEADER, "guess");
        io.grpc.StatusRuntimeException guessed = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(wrong))
                          .call(request("guessing")), io.grpc.StatusRuntimeException.class);
        io.grpc.Metadata right = new io.grpc.Metadata();
        right.put(ReplicaSecret.HEADER, "s3cret-for-this-replica");
        String answer = stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(right))
                .call(request("from the gateway")).getOutput().toStringUtf8();

        assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).contains("function it", "dcf-replica-secret");
        assertThat(guessed.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        assertThat(answer).isEqualTo("from the gateway");
        assertThat(log()).doesNotContain("s3cret");
    }

    @Test
    void replicaSecret_standardInputEndsFirst_exitsWithStatus2() throws Exception {
        process = start(Map.of("DCF_REPLICA_SECRET_STDIN", "true"));
        process.getOutputStream().close();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isEqualTo(2);
        assertThat(log()).contains("DCF_REPLICA_SECRET_STDIN: standard input ended before the replica secret's line");
    }

    @Test
    void missingHandlerClass_exitsWithStatus3() throws Exception {
        process = start(Map.of("DCF_HANDLER", "com.example.Missing"));

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isEqualTo(3);
        assertThat(log()).contains("handler class com.example.Missing not found (DCF_HANDLER_PATH=" + TEST_CLASSES);
    }

    @Test
    void stuckHandler_pastTimeoutAndGrace_exitsWithStatus75() throws Exception {
        startServing(Map.of("DCF_TIMEOUT_MS", "300", "DCF_STUCK_GRACE_MS", "500"));

        assertThat(callStatus("spin").getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited; log:%n%s", log()).isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isEqualTo(75);
        assertThat(log()).contains("function=it handler still running 500 ms after its call timed out (300 ms)"
                + " and was interrupted; exiting with status 75 so the replica is restarted");
    }

    @Test
    void interruptibleHandler_pastItsTimeout_keepsTheReplica() throws Exception {
        // a grace long enough for an interrupted sleep to end on a loaded machine (500 ms was not), and the
        // replica watched for longer than the grace: a handler that did not end would make it exit
        startServing(Map.of("DCF_TIMEOUT_MS", "300", "DCF_STUCK_GRACE_MS", "3000"));

        assertThat(callStatus("sleep:60000").getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(60)).until(process::isAlive);
        assertThat(callStatus("still-here").getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void stuckHandler_doesNotHoldUpADrain() throws Exception {
        startServing(Map.of("DCF_TIMEOUT_MS", "300", "DCF_STUCK_GRACE_MS", "600000",
                "DCF_DRAIN_TIMEOUT_MS", "600000"));
        assertThat(callStatus("spin").getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        process.destroy(); // SIGTERM

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited; log:%n%s", log()).isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isZero();
        assertThat(log()).contains("not waiting for 1 handler thread(s) that ran on past their calls");
    }

    @Test
    void handlerCallingSystemExit_failsItsCallAtOnce_andExitsWithItsStatus() throws Exception {
        startServing(Map.of("DCF_TIMEOUT_MS", "600000", "DCF_DRAIN_TIMEOUT_MS", "600000"));

        Status status = callStatus("exit:7");

        assertThat(status.getCode()).as("%s", status).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).isEqualTo(
                "function it: the handler called System.exit during the call; the replica is exiting");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited; log:%n%s", log()).isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isEqualTo(7);
    }

    /** One call with a 60 s deadline; its status. */
    private Status callStatus(String input) {
        try {
            WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).call(request(input));
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    private int startServing(Map<String, String> extra) throws Exception {
        return startServing(start(extra));
    }

    private int startServing(Process started) throws Exception {
        process = started;
        Path portFile = dir.resolve("port");
        await().until(() -> Files.exists(portFile) || !process.isAlive());
        assertThat(process.isAlive()).as("running; log:%n%s", log()).isTrue();
        int port = Integer.parseInt(Files.readString(portFile));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        await().ignoreExceptions().until(() -> HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(WatcherGrpc.SERVICE_NAME).build())
                .getStatus() == ServingStatus.SERVING);
        return port;
    }

    private Process start(Map<String, String> extra) throws Exception {
        assertThat(JAR).as("run `./mvnw package` first").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("watcher.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("DCF_FUNCTION_NAME", "it");
        env.put("DCF_HANDLER", ScriptedHandler.class.getName());
        env.put("DCF_HANDLER_PATH", TEST_CLASSES.toString());
        env.put("DCF_WATCHER_HOST", "127.0.0.1");
        env.put("DCF_WATCHER_PORT", "0");
        env.put("DCF_WATCHER_PORT_FILE", dir.resolve("port").toString());
        env.putAll(extra);
        return builder.start();
    }

    private String log() throws Exception {
        Path log = dir.resolve("watcher.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
