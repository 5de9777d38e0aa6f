package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.LoadRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaCommandTest {

    @TempDir
    Path tmp;

    private LocalSettings settings(Path watcherJar) {
        return settings(watcherJar, ReplicaIsolation.sameUser(Map.of("PATH", "/usr/bin", "AWS_SECRET_ACCESS_KEY", "x",
                "LANG", "C.UTF-8"), "test"));
    }

    private LocalSettings settings(Path watcherJar, ReplicaIsolation isolation) {
        return new LocalSettings(tmp, watcherJar, tmp.resolve("runtimes"), "/opt/jdk/bin/java", () -> "/usr/bin/python3",
                List.of("-XX:+UseSerialGC"), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10),
                64, 64 << 20, Duration.ofMillis(200), Duration.ofSeconds(10), isolation,
                HealthCheckSettings.defaults(),

                new LogRotation(10 << 20, 3), 5, 1);
    }

    @Test
    void java_runsTheWatcherJarWithTheHandlerClasspath() throws IOException {
        Path jar = Files.createFile(tmp.resolve("dcf-watcher.jar"));
        FunctionSpec spec = FunctionSpec.newBuilder().setName("echo").setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("com.example.Echo"))
                .setTimeout(Durations.fromSeconds(5))
                .putEnvironment("MODEL", "resnet").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("classes"), tmp.resolve("src")), tmp.resolve("src"));

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(jar), tmp.resolve("p.port"), tmp.resolve("fn"),
                tmp.resolve("work"));

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

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(tmp.resolve("missing.jar")), tmp.resolve("p.port"),
                tmp.resolve("fn"), tmp.resolve("work"));

        assertThat(cmd.command()).containsExactly("/usr/bin/python3",
                tmp.resolve("runtimes/python/watcher/dcf_watcher.py").toString());
        assertThat(cmd.environment()).containsEntry("DCF_HANDLER_FILE", "handler.py")
                .containsEntry("DCF_HANDLER_PATH", tmp.resolve("src").toString())
                .containsEntry("DCF_TIMEOUT_MS", "30000");
    }

    @Test
    void environment_isOnlyWhatTheReplicaNeeds_andHomeIsItsWorkDir() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("hello-dcf").setRuntime("python")
                .putEnvironment("MODEL", "resnet").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("src")), tmp.resolve("src"));

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(tmp.resolve("missing.jar")), tmp.resolve("p.port"),
                tmp.resolve("fn"), tmp.resolve("work"));

        assertThat(cmd.workDir()).isEqualTo(tmp.resolve("work"));
        assertThat(cmd.environment()).doesNotContainKey("AWS_SECRET_ACCESS_KEY")
                .containsEntry("PATH", "/usr/bin").containsEntry("LANG", "C.UTF-8").containsEntry("MODEL", "resnet")
                .containsEntry("HOME", tmp.resolve("work").toString())
                .containsEntry("TMPDIR", tmp.resolve("work").toString())
                .containsEntry("DCF_REPLICA_SECRET_STDIN", "true");
        assertThat(cmd.environment().keySet()).allMatch(k -> k.startsWith("DCF_") || k.startsWith("PYTHON")
                || List.of("PATH", "LANG", "HOME", "TMPDIR", "MODEL").contains(k));
    }

    @Test
    void runAs_prefixesTheCommandWithSetprivDroppingEveryPrivilege() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("hello-dcf").setRuntime("python").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("src")), tmp.resolve("src"));
        ReplicaIsolation isolation = new ReplicaIsolation(
                Optional.of(new ReplicaIsolation.RunAs("nobody", 65534, 65534, "/usr/bin/setpriv")),
                Map.of("PATH", "/usr/bin"), "test", false, true, Optional.empty());

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(tmp.resolve("missing.jar"), isolation),
                tmp.resolve("p.port"), tmp.resolve("fn"), tmp.resolve("work"));

        assertThat(cmd.command()).startsWith("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--", "/usr/bin/python3");
    }

    @Test
    void hiddenHome_runsTheReplicaInAMountNamespaceThatShowsOnlyItsFunction_thenDropsToTheUser() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("hello-dcf").setRuntime("python").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("src")), tmp.resolve("src"));
        ReplicaIsolation isolation = new ReplicaIsolation(
                Optional.of(new ReplicaIsolation.RunAs("nobody", 65534, 65534, "/usr/bin/setpriv")),
                Map.of("PATH", "/usr/bin"), "test", false, true,
                Optional.of(new ReplicaIsolation.Hidden(Path.of("/root"), false)));

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(tmp.resolve("missing.jar"), isolation),
                tmp.resolve("p.port"), tmp.resolve("fn"), tmp.resolve("fn/run/replica-0"));

        assertThat(cmd.command()).startsWith("/usr/bin/unshare", "--mount", "--propagation", "private", "--",
                "/bin/sh", "-c");
        assertThat(cmd.command().subList(8, 13)).containsExactly("dcf-replica", "/root", tmp.resolve("fn").toString(),
                tmp.resolve("fn/run/replica-0").toString(), "/usr/bin/setpriv");
    }

    @Test
    void hiddenHome_ofAGatewayThatIsNotRoot_usesAUserNamespace_andDropsItsCapabilities() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("hello-dcf").setRuntime("python").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("src")), tmp.resolve("src"));
        ReplicaIsolation isolation = new ReplicaIsolation(Optional.empty(), Map.of("PATH", "/usr/bin"), "test", false,
                true, Optional.of(new ReplicaIsolation.Hidden(tmp.resolve("home"), true)));

        ReplicaCommand cmd = ReplicaCommand.of(spec, code, settings(tmp.resolve("missing.jar"), isolation),
                tmp.resolve("p.port"), tmp.resolve("fn"), tmp.resolve("fn/run/replica-0"));

        assertThat(cmd.command()).startsWith("/usr/bin/unshare", "--user", "--map-root-user", "--mount",
                "--propagation", "private", "--", "/bin/sh", "-c");
        assertThat(cmd.command().subList(10, 20)).containsExactly("dcf-replica", tmp.resolve("home").toString(),
                tmp.resolve("fn").toString(), tmp.resolve("fn/run/replica-0").toString(), "/usr/bin/setpriv",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--", "/usr/bin/python3");
    }

    @Test
    void java_withoutWatcherJar_failsNamingIt() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("echo").setRuntime("java").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp), tmp);
        assertThatThrownBy(() -> ReplicaCommand.of(spec, code, settings(tmp.resolve("nope.jar")), tmp.resolve("p"),
                tmp.resolve("fn"), tmp.resolve("work")))
                .hasMessageContaining("nope.jar").hasMessageContaining("watcher-jar");
    }

    @Test
    void backoff_doublesUpToTheMaximum() {
        LocalSettings settings = settings(tmp.resolve("dcf-watcher.jar")); // 200 ms to 10 s
        assertThat(settings.restartDelayMillis(0)).isEqualTo(200);
        assertThat(settings.restartDelayMillis(1)).isEqualTo(200);
        assertThat(settings.restartDelayMillis(2)).isEqualTo(400);
        assertThat(settings.restartDelayMillis(4)).isEqualTo(1600);
        assertThat(settings.restartDelayMillis(10)).isEqualTo(10_000);
        assertThat(settings.restartDelayMillis(1000)).isEqualTo(10_000);
    }

    @Test
    void load_carriesTheFactsOfTheReplicaEnvironment_butNotTheProcessOwn() throws IOException {
        Path jar = Files.createFile(tmp.resolve("dcf-watcher.jar"));
        FunctionSpec spec = FunctionSpec.newBuilder().setName("echo").setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("com.example.Echo"))
                .setTimeout(Durations.fromSeconds(5))
                .putEnvironment("MODEL", "resnet").build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("classes")), tmp.resolve("src"))
                .withModel("models/m.bin");

        Map<String, String> env = ReplicaCommand.of(spec, code, settings(jar), tmp.resolve("p.port"), tmp.resolve("fn"),
                tmp.resolve("work")).environment();
        LoadRequest load = ReplicaCommand.load(spec, code, settings(jar));

        assertThat(load.getContractMap()).containsKeys("DCF_FUNCTION_NAME", "DCF_HANDLER", "DCF_HANDLER_PATH",
                "DCF_FUNCTION_DIR", "DCF_TIMEOUT_MS", "DCF_MAX_CONCURRENCY", "DCF_MAX_MESSAGE_BYTES", "DCF_MODEL_PATH")
                .doesNotContainKeys("DCF_WATCHER_HOST", "DCF_WATCHER_PORT", "DCF_WATCHER_PORT_FILE",
                        "DCF_EXIT_WITH_PARENT", "DCF_REPLICA_SECRET_STDIN", "HOME", "PATH");
        assertThat(env).containsAllEntriesOf(load.getContractMap());
        assertThat(load.getEnvironmentMap()).containsExactly(Map.entry("MODEL", "resnet"));
        assertThat(load.getRuntime()).isEqualTo("java");
    }

    @Test
    void pooled_runsTheSameWatcherAsAColdReplica_inPoolMode_withoutAFunction() throws IOException {
        Path jar = Files.createFile(tmp.resolve("dcf-watcher.jar"));
        FunctionSpec spec = FunctionSpec.newBuilder().setName("echo").setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("com.example.Echo")).build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("classes")), tmp.resolve("src"));

        ReplicaCommand pooled = ReplicaCommand.pooled("pool-java-1", true, settings(jar), tmp.resolve("pool/port"),
                tmp.resolve("pool"));

        assertThat(pooled.command()).isEqualTo(ReplicaCommand.watcherCommand(spec, code, settings(jar)))
                .isEqualTo(ReplicaCommand.pooledWatcher("pool-java-1", true, settings(jar)));
        assertThat(pooled.environment()).containsEntry("DCF_POOL", "true")
                .containsEntry("DCF_FUNCTION_NAME", "pool-java-1")
                .containsEntry("DCF_WATCHER_PORT_FILE", tmp.resolve("pool/port").toString())
                .containsEntry("DCF_REPLICA_SECRET_STDIN", "true")
                .containsEntry("DCF_MAX_CONCURRENCY", "64")
                .containsEntry("HOME", tmp.resolve("pool").toString())
                .doesNotContainKeys("DCF_HANDLER", "DCF_HANDLER_PATH", "DCF_TIMEOUT_MS");
    }

    @Test
    void pythonWithItsOwnVenv_doesNotRunThePoolsPython() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("np").setRuntime("python")
                .setHandler(HandlerRef.newBuilder().setName("Handler")).build();
        InstalledArtifact code = new InstalledArtifact(List.of(tmp.resolve("src")), tmp.resolve("src"),
                Optional.of(tmp.resolve("venv/bin/python")));

        assertThat(ReplicaCommand.watcherCommand(spec, code, settings(tmp.resolve("missing.jar"))))
                .isNotEqualTo(ReplicaCommand.pooledWatcher("pool-python-1", false, settings(tmp.resolve("missing.jar"))));
    }
}
