package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.ReplicaStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend's warm pool on a real gateway with real watcher processes (pool size 1): new replicas take the waiting process, the pool refills, replaces a process that dies,
 * never hands one process to two functions, is not poisoned by a handler that cannot load, and
 * leaves nothing behind when the gateway stops. A pooled process is found from the outside: a
 * child of this JVM whose working directory is {@code DCF_HOME/pool/pool-<runtime>-<n>}, listening
 * (its port file written) and not a replica yet.
 */
class WarmPoolIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;

    private static TestGateway gw;
    private static Path home;

    @BeforeAll
    static void startGateway() {
        home = tmp.resolve("home");
        gw = TestGateway.start(home, "--dcf.gateway.local.warm-pool=1");
    }

    @AfterAll
    static void stopGateway() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void javaDeploy_takesTheWaitingProcess_andThePoolRefills() {
        long warm = awaitWarm("java");

        FunctionStatus deployed = gw.deployJava("pooled-java", TestGateway.EXAMPLES.resolve("hello-java"));

        assertThat(pids(deployed)).containsExactly(warm);
        assertThat(call("pooled-java", "hi")).isEqualTo("hi");
        long refilled = awaitWarm("java");
        assertThat(refilled).isNotEqualTo(warm);
        assertThat(log("pooled-java")).contains("starting from the warm pool", "function=pooled-java serving");
        delete("pooled-java");
    }

    @Test
    void pooledProcessThatDies_isReplaced() {
        long warm = awaitWarm("python");

        ProcessHandle.of(warm).orElseThrow().destroyForcibly();

        await().atMost(WAIT).until(() -> warmPids("python").stream().anyMatch(pid -> pid != warm));
        assertThat(ProcessHandle.of(warm).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aPooledProcessNeverServesTwoFunctions_redeployGetsANewOne() throws IOException {
        Path src = pythonFunction("first", "def Handler(req):\n    return b'first'\n");
        long warm = awaitWarm("python");
        long first = pids(gw.deploy("twice-py", src, python())).get(0);
        delete("twice-py");
        await().atMost(WAIT).until(() -> ProcessHandle.of(first).filter(ProcessHandle::isAlive).isEmpty());

        long nextWarm = awaitWarm("python");
        long second = pids(gw.deploy("twice-py", src, python())).get(0);

        assertThat(first).isEqualTo(warm);
        assertThat(second).isEqualTo(nextWarm).isNotEqualTo(first);
        assertThat(call("twice-py", "")).isEqualTo("first");
        delete("twice-py");
    }

    @Test
    void javaHandlerThatCannotLoad_failsWithTheStartUpMessage_andThePoolStaysGood() {
        long warm = awaitWarm("java");
        FunctionSpec.Builder missing = FunctionSpec.newBuilder().setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("com.example.Missing"));

        assertThatThrownBy(() -> gw.deploy("missing-java", TestGateway.EXAMPLES.resolve("hello-java"), missing))
                .hasMessageContaining("function missing-java failed to start: replica exited with code 3")
                .hasMessageContaining("handler class com.example.Missing not found");
        assertThat(ProcessHandle.of(warm).filter(ProcessHandle::isAlive)).as("the pooled process that failed").isEmpty();

        long next = awaitWarm("java");
        FunctionStatus good = gw.deployJava("after-missing", TestGateway.EXAMPLES.resolve("hello-java"));
        assertThat(pids(good)).containsExactly(next);
        assertThat(call("after-missing", "still good")).isEqualTo("still good");
        delete("after-missing");
    }

    @Test
    void pythonSyntaxError_failsWithTheStartUpMessage_andThePoolStaysGood() throws IOException {
        Path broken = pythonFunction("broken", "def Handler(req)\n    return req.input\n");
        long warm = awaitWarm("python");

        assertThatThrownBy(() -> gw.deploy("broken-py", broken, python()))
                .hasMessageContaining("function broken-py failed to start: replica exited with code 3")
                .hasMessageContaining("SyntaxError");
        assertThat(ProcessHandle.of(warm).filter(ProcessHandle::isAlive)).as("the pooled process that failed").isEmpty();

        long next = awaitWarm("python");
        FunctionStatus good = gw.deploy("good-py", pythonFunction("good", "def Handler(req):\n    return req.input\n"),
                python());
        assertThat(pids(good)).containsExactly(next);
        assertThat(call("good-py", "fine")).isEqualTo("fine");
        delete("good-py");
    }

    @Test
    void javaFunctionWithItsOwnEnvironment_startsCold() {
        long warm = awaitWarm("java");

        FunctionStatus deployed = gw.deploy("env-java", TestGateway.EXAMPLES.resolve("hello-java"),
                FunctionSpec.newBuilder().setRuntime("java").setHandler(HandlerRef.newBuilder().setName("Handler"))
                        .putEnvironment("GREETING", "hello"));

        assertThat(pids(deployed)).doesNotContain(warm);
        assertThat(warmPids("java")).contains(warm);
        delete("env-java");
    }

    /** Waits until a pooled process of {@code runtime} is listening and returns its pid. */
    static long awaitWarm(Path home, String runtime, Supplier<List<Long>> replicas) {
        await().atMost(WAIT).until(() -> !warmPids(home, runtime, replicas).isEmpty());
        return warmPids(home, runtime, replicas).get(0);
    }

    /**
     * Children of this JVM that are pooled processes of {@code runtime} with their port file written,
     * and not (any longer) in the pool: not one of {@code replicas}.
     */
    static List<Long> warmPids(Path home, String runtime, Supplier<List<Long>> replicas) {
        Path pool = home.resolve("pool");
        try (Stream<ProcessHandle> children = ProcessHandle.current().descendants()) {
            return children.filter(ProcessHandle::isAlive).filter(p -> {
                try {
                    Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
                    return cwd.getParent() != null && cwd.getParent().equals(pool)
                            && cwd.getFileName().toString().startsWith("pool-" + runtime + "-")
                            && Files.exists(cwd.resolve("port"));
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // gone meanwhile
                }
            }).map(ProcessHandle::pid).filter(pid -> !replicas.get().contains(pid)).toList();
        }
    }

    private static long awaitWarm(String runtime) {
        return awaitWarm(home, runtime, WarmPoolIT::replicaPids);
    }

    private static List<Long> warmPids(String runtime) {
        return warmPids(home, runtime, WarmPoolIT::replicaPids);
    }

    private static List<Long> replicaPids() {
        return gw.grpc().list(io.dcf.proto.v1.ListRequest.getDefaultInstance()).getFunctionsList().stream()
                .flatMap(f -> f.getReplicaStatusesList().stream()).map(ReplicaStatus::getPid).toList();
    }

    private static List<Long> pids(FunctionStatus status) {
        return status.getReplicaStatusesList().stream().map(ReplicaStatus::getPid).filter(p -> p > 0).toList();
    }

    private static String call(String function, String input) {
        return new String(gw.post("/function/" + function, input.getBytes(StandardCharsets.UTF_8), null).body(),
                StandardCharsets.UTF_8);
    }

    /**
     * Deletes {@code function} and waits until its replica processes are gone: a replica that is
     * still stopping keeps its pool working directory and is no longer listed as a replica, so
     * until it exits it would look like a waiting pooled process to {@link #warmPids}.
     */
    private static void delete(String function) {
        List<Long> stopping = gw.grpc().list(io.dcf.proto.v1.ListRequest.getDefaultInstance()).getFunctionsList()
                .stream().filter(f -> f.getSpec().getName().equals(function))
                .flatMap(f -> f.getReplicaStatusesList().stream()).map(ReplicaStatus::getPid).filter(p -> p > 0)
                .toList();
        gw.grpc().delete(DeleteRequest.newBuilder().setName(function).build());
        await().atMost(WAIT).until(() -> stopping.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()));
    }

    private static String log(String function) {
        try (Stream<Path> files = Files.list(home.resolve("functions").resolve(function).resolve("logs"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.toList()) {
                all.append(Files.readString(file));
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FunctionSpec.Builder python() {
        return FunctionSpec.newBuilder().setRuntime("python").setHandler(HandlerRef.newBuilder().setName("Handler"));
    }

    private static Path pythonFunction(String dir, String handler) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src").resolve(dir));
        Files.writeString(src.resolve("handler.py"), handler);
        return src;
    }
}
