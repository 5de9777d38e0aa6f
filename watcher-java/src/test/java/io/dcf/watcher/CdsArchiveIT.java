package io.dcf.watcher;

import static io.dcf.watcher.TestWatcher.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.WatcherGrpc;
import io.dcf.watcher.fixtures.ScriptedHandler;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AppCDS archive the build makes beside the shaded jar (target/dcf-watcher.jsa, by
 * {@link CdsTraining}): a real watcher process started with it loads its classes from it; one
 * whose jar is not the one the archive was made for (a stale archive) still serves, and the JVM
 * says in its log that it ignored the archive.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CdsArchiveIT {

    private static final Path JAR = Path.of(System.getProperty("dcf.watcher.jar", "target/dcf-watcher.jar"));
    private static final Path ARCHIVE = JAR.resolveSibling("dcf-watcher.jsa");
    private static final Path TEST_CLASSES = Path.of(System.getProperty("dcf.watcher.testClasses", "target/test-classes"));

    @TempDir
    Path dir;

    private Process process;
    private ManagedChannel channel;

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
    void withTheArchive_watcherClassesComeFromIt_andItServes() throws Exception {
        assertThat(ARCHIVE).as("the build makes it (CdsTraining, phase package)").isRegularFile();

        serve(JAR, "-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:class+load=info");

        assertThat(call("with the archive")).isEqualTo("with the archive");
        assertThat(log()).contains("io.dcf.watcher.WatcherMain source: shared objects file (top)",
                "io.dcf.watcher.HandlerInvoker source: shared objects file (top)", "function=cds serving");
    }

    @Test
    void withoutTheArchive_watcherClassesComeFromTheJar_andItServes() throws Exception {
        serve(JAR, "-Xlog:class+load=info");

        assertThat(call("without")).isEqualTo("without");
        assertThat(log()).contains("io.dcf.watcher.WatcherMain source: file:")
                .doesNotContain("shared objects file (top)");
    }

    @Test
    void staleArchive_isIgnoredWithALogLine_andTheWatcherServes() throws Exception {
        Path otherJar = Files.copy(JAR, dir.resolve("dcf-watcher.jar")); // not the jar the archive was made for

        serve(otherJar, "-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:class+load=info");

        assertThat(call("stale")).isEqualTo("stale");
        assertThat(log()).contains("Unable to use shared archive", "io.dcf.watcher.WatcherMain source: file:")
                .doesNotContain("shared objects file (top)");
    }

    private String call(String text) {
        return WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).call(request(text))
                .getOutput().toStringUtf8();
    }

    private void serve(Path jar, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("watcher.log").toFile());
        builder.environment().putAll(java.util.Map.of("DCF_FUNCTION_NAME", "cds",
                "DCF_HANDLER", ScriptedHandler.class.getName(), "DCF_HANDLER_PATH", TEST_CLASSES.toString(),
                "DCF_WATCHER_HOST", "127.0.0.1", "DCF_WATCHER_PORT", "0",
                "DCF_WATCHER_PORT_FILE", dir.resolve("port").toString()));
        process = builder.start();
        Path portFile = dir.resolve("port");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(portFile) && Files.size(portFile) > 0
                || !process.isAlive());
        assertThat(process.isAlive()).as("running; log:%n%s", log()).isTrue();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(Files.readString(portFile).strip()))
                .usePlaintext().build();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(WatcherGrpc.SERVICE_NAME).build())
                .getStatus() == ServingStatus.SERVING);
    }

    private String log() throws Exception {
        Path log = dir.resolve("watcher.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
