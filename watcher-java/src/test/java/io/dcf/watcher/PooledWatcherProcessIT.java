package io.dcf.watcher;

import static io.dcf.watcher.TestWatcher.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.LoadRequest;
import io.dcf.proto.v1.StatsRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.dcf.watcher.fixtures.EnvHandler;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
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

/** Pool mode on the real shaded jar: a generic process waits, one Load makes it a replica (docs/watcher-contract.md). */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PooledWatcherProcessIT {

    private static final Path JAR = Path.of(System.getProperty("dcf.watcher.jar", "target/dcf-watcher.jar"));
    private static final Path TEST_CLASSES = Path.of(System.getProperty("dcf.watcher.testClasses", "target/test-classes"));
    private static final String SECRET = "pool-secret";

    @TempDir
    Path dir;

    private Process process;
    private ManagedChannel channel;
    private WatcherGrpc.WatcherBlockingStub stub;

    @BeforeEach
    void setUp() throws Exception {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(90));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("watcher.log").toFile());
        builder.environment().putAll(Map.of("DCF_POOL", "true", "DCF_FUNCTION_NAME", "pool-java-1",
                "DCF_WATCHER_HOST", "127.0.0.1", "DCF_WATCHER_PORT", "0",
                "DCF_WATCHER_PORT_FILE", dir.resolve("port").toString(), "DCF_REPLICA_SECRET_STDIN", "true",
                "DCF_MAX_CONCURRENCY", "8"));
        process = builder.start();
        process.getOutputStream().write((SECRET + "\n").getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        Path portFile = dir.resolve("port");
        await().until(() -> Files.exists(portFile) || !process.isAlive());
        assertThat(process.isAlive()).as("running; log:%n%s", log()).isTrue();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(Files.readString(portFile)))
                .usePlaintext().build();
        Metadata secret = new Metadata();
        secret.put(ReplicaSecret.HEADER, SECRET);
        stub = WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(secret));
    }

    @AfterEach
    void tearDown() throws Exception {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void waiting_answersNotServingAndStats_refusesCallsAsLoading() throws Exception {
        StatusRuntimeException refused = catchThrowableOfType(() -> stub.call(request("too early")),
                StatusRuntimeException.class);

        assertThat(health()).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getTrailers().get(Statuses.REFUSED)).isEqualTo("loading");
        assertThat(stub.stats(StatsRequest.getDefaultInstance()).getMaxConcurrency()).isEqualTo(8);
        assertThat(log()).contains("function=pool-java-1 waiting in the warm pool for a Load");
    }

    @Test
    void load_makesItAReplicaOfThatFunction_once() throws Exception {
        StatusRuntimeException withoutSecret = catchThrowableOfType(() -> WatcherGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).load(load(EnvHandler.class.getName())),
                StatusRuntimeException.class);

        long loadMillis = stub.load(load(EnvHandler.class.getName())).getLoadMillis();
        String greeting = stub.call(request("GREETING")).getOutput().toStringUtf8();
        String timeout = stub.call(request("DCF_TIMEOUT_MS")).getOutput().toStringUtf8();
        StatusRuntimeException second = catchThrowableOfType(() -> stub.load(load(EnvHandler.class.getName())),
                StatusRuntimeException.class);

        assertThat(withoutSecret.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(loadMillis).isNotNegative();
        assertThat(health()).isEqualTo(ServingStatus.SERVING);
        assertThat(greeting).as("the function's environment reaches its Context").isEqualTo("greeter:hello");
        assertThat(timeout).isEqualTo("greeter:1500");
        assertThat(second.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(second.getStatus().getDescription()).contains("already took function greeter");
        assertThat(log()).contains("function=greeter serving " + EnvHandler.class.getName());
    }

    @Test
    void loadOfAMissingClass_failsWithTheStartUpMessage_andExitsWithStatus3() throws Exception {
        StatusRuntimeException failed = catchThrowableOfType(() -> stub.load(load("com.example.Missing")),
                StatusRuntimeException.class);

        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(failed.getStatus().getDescription())
                .startsWith("function greeter failed to start: handler class com.example.Missing not found");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).as("exit status; log:%n%s", log()).isEqualTo(3);
        assertThat(log()).contains("function=greeter failed to start: handler class com.example.Missing not found");
    }

    @Test
    void loadWithAnotherConcurrencyThanStarted_isRefused_andTheProcessExits() throws Exception {
        LoadRequest other = load(EnvHandler.class.getName()).toBuilder()
                .putContract("DCF_MAX_CONCURRENCY", "64").build();

        StatusRuntimeException refused = catchThrowableOfType(() -> stub.load(other), StatusRuntimeException.class);

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).contains("DCF_MAX_CONCURRENCY: 64 (expected: 8");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
    }

    private static LoadRequest load(String handler) {
        return LoadRequest.newBuilder()
                .putContract("DCF_FUNCTION_NAME", "greeter")
                .putContract("DCF_HANDLER", handler)
                .putContract("DCF_HANDLER_PATH", TEST_CLASSES.toAbsolutePath().toString())
                .putContract("DCF_TIMEOUT_MS", "1500")
                .putContract("DCF_MAX_CONCURRENCY", "8")
                .putEnvironment("GREETING", "hello")
                .setRuntime("java")
                .build();
    }

    private ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("watcher.log"));
    }
}
