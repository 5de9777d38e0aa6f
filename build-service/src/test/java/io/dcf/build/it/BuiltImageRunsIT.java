package io.dcf.build.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.dcf.build.testing.BuilderClient;
import io.dcf.build.testing.Bundles;
import io.dcf.build.testing.Podman;
import io.dcf.build.testing.TestBuildService;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build-service makes really runs: examples/hello-java built by Jib on the java
 * base that runtimes/base/make-jre-base.sh makes from this machine's JDK (a jlink'ed JRE and
 * watcher-java), pushed to a loopback registry, pulled and started by podman (runc), and its
 * watcher answers Call over gRPC with the echo of its input.
 */
class BuiltImageRunsIT {

    static final Path WATCHER_JAR = Path.of(System.getProperty("dcf.test.watcher-jar",
            "../watcher-java/target/dcf-watcher.jar"));
    static final Path SCRIPTS = Path.of(System.getProperty("dcf.test.base-scripts", "../runtimes/base"));

    @TempDir
    Path tmp;

    @Test
    void helloJava_builtByJib_runsInPodman_andEchoes() throws Exception {
        assertThat(WATCHER_JAR).as("build watcher-java first: ./mvnw -pl watcher-java -am package -DskipTests")
                .isRegularFile();
        Path base = tmp.resolve("java-base.tar");
        run(List.of("bash", SCRIPTS.resolve("make-jre-base.sh").toString(), "--watcher-jar", WATCHER_JAR.toString(),
                base.toString()));
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")));
                TestBuildService service = TestBuildService.start(tmp.resolve("work"), Map.of(
                        "dcf.build.registry", registry.host(),
                        "dcf.build.jib.java-base", "tar://" + base,
                        "dcf.build.jib.insecure-registries", registry.host()));
                BuilderClient client = new BuilderClient(service.port(), service.token())) {
            BuildStart start = BuildStart.newBuilder().setSpec(BuilderClient.spec("hello-java", "java")).build();
            BuildStatus done = client.awaitEnd(client.build(start, Bundles.tarGzOf(BuildServiceIT.HELLO_JAVA)).getId());
            assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(BuildPhase.BUILD_PHASE_SUCCEEDED);

            int port = freePort();
            String name = "dcf-build-it-" + done.getId();
            try {
                Podman.runDetached(name, done.getImage(), List.of("DCF_FUNCTION_NAME=hello-java", "DCF_HANDLER=Handler",
                        "DCF_WATCHER_HOST=127.0.0.1", "DCF_WATCHER_PORT=" + port));
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                try {
                    await("the container's watcher serving").atMost(Duration.ofSeconds(120))
                            .ignoreExceptions().until(() -> HealthGrpc.newBlockingStub(channel)
                                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                                    .check(HealthCheckRequest.getDefaultInstance()).getStatus()
                                    == HealthCheckResponse.ServingStatus.SERVING);
                    CallReply reply = WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .call(CallRequest.newBuilder().setInput(ByteString.copyFromUtf8("Hello from podman"))
                                    .setContentType("text/plain").setFunction("hello-java").build());
                    assertThat(reply.getOutput().toString(StandardCharsets.UTF_8))
                            .as("container log:%n%s", Podman.logs(name)).isEqualTo("Hello from podman");
                } finally {
                    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                }
            } finally {
                Podman.remove(name, done.getImage());
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void run(List<String> command) throws Exception {
        Path log = tmp.resolve("make-jre-base.log");
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("make-jre-base.sh within 10 min").isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    }
}
