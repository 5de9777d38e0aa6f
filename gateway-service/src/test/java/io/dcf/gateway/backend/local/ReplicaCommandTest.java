package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaCommandTest {

    @TempDir
    Path tmp;

    private LocalSettings settings(Path watcherJar) {
        return new LocalSettings(tmp, watcherJar, tmp.resolve("runtimes"), "/opt/jdk/bin/java", () -> "/usr/bin/python3",
                List.of("-XX:+UseSerialGC"), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10),
                64, 64 << 20, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    @Test
    void java_runsTheWatcherJarWithTheHandlerClasspath() throws IOException {
        Path jar = Files.createFile(tmp.resolve("dcf-watcher.jar"));
        FunctionSpec spec = FunctionSpec.newBuilder().setName("echo").setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("com.example.Echo"))
                .setTimeout(Durations.fromSeconds(5))
                .putEnvironment("MODEL", "resnet").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("classes"), tmp.resolve("src")), tmp.resolve("src"));

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(jar), tmp.resolve("p.port"));

        assertThat(cmd.command()).containsExactly("/opt/jdk/bin/java", "-XX:+UseSerialGC", "-jar", jar.toString());
        assertThat(cmd.environment())
                .containsEntry("DCF_HANDLER", "com.example.Echo")
                .containsEntry("DCF_HANDLER_PATH", tmp.resolve("classes") + ":" + tmp.resolve("src"))
                .containsEntry("DCF_WATCHER_HOST", "127.0.0.1")
                .containsEntry("DCF_WATCHER_PORT", "0")
                .containsEntry("DCF_WATCHER_PORT_FILE", tmp.resolve("p.port").toString())
                .containsEntry("DCF_TIMEOUT_MS", "5000")
                .containsEntry("DCF_EXIT_WITH_PARENT", "true")
                .containsEntry("MODEL", "resnet");
    }

    @Test
    void python_runsThePythonWatcher() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("hello-dcf").setRuntime("python")
                .setHandler(HandlerRef.newBuilder().setName("Handler")).build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("src")), tmp.resolve("src"));

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(tmp.resolve("missing.jar")), tmp.resolve("p.port"));

        assertThat(cmd.command()).containsExactly("/usr/bin/python3",
                tmp.resolve("runtimes/python/watcher/dcf_watcher.py").toString());
        assertThat(cmd.environment()).containsEntry("DCF_HANDLER_FILE", "handler.py")
                .containsEntry("DCF_HANDLER_PATH", tmp.resolve("src").toString())
                .containsEntry("DCF_TIMEOUT_MS", "30000");
    }

    @Test
    void java_withoutWatcherJar_failsNamingIt() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("echo").setRuntime("java").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp), tmp);
        assertThatThrownBy(() -> ReplicaCommand.of(spec, code, settings(tmp.resolve("nope.jar")), tmp.resolve("p")))
                .hasMessageContaining("nope.jar").hasMessageContaining("watcher-jar");
    }

    @Test
    void backoff_doublesUpToTheMaximum() {
        Duration min = Duration.ofMillis(200);
        Duration max = Duration.ofSeconds(10);
        assertThat(Replica.backoffMillis(0, min, max)).isEqualTo(200);
        assertThat(Replica.backoffMillis(1, min, max)).isEqualTo(200);
        assertThat(Replica.backoffMillis(2, min, max)).isEqualTo(400);
        assertThat(Replica.backoffMillis(4, min, max)).isEqualTo(1600);
        assertThat(Replica.backoffMillis(10, min, max)).isEqualTo(10_000);
        assertThat(Replica.backoffMillis(1000, min, max)).isEqualTo(10_000);
    }
}
