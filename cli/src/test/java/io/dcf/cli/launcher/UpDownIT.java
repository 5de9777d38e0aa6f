package io.dcf.cli.launcher;

import io.dcf.cli.BearerToken;
import io.dcf.cli.CliRunner;
import io.dcf.cli.GatewayAddress;
import io.dcf.cli.GatewayClient;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dcf up --detach} starts the gateway with hello-java and its warm pool; {@code dcf down}
 * stops it, its replicas and its pooled processes.
 */
class UpDownIT {

    @TempDir
    Path home;

    @Test
    void upDetached_servesHelloJava_thenDownStopsEveryReplicaAndPooledProcess() {
        CliRunner cli = new CliRunner(home, home);
        long pid = 0;
        try {
            CliRunner.Result up = cli.run("up", "--port", "0", "--detach", "--home", home.toString());

            assertThat(up.code()).as(up.toString()).isZero();
            Matcher m = Pattern.compile("DCF is up: gateway http\\+grpc on 127\\.0\\.0\\.1:(\\d+) \\(local mode, DCF_HOME="
                    + Pattern.quote(home.toString()) + "\\)").matcher(up.out());
            assertThat(m.find()).as(up.out()).isTrue();
            String port = m.group(1);
            assertThat(up.out()).contains("Function hello-java is ready. Try:",
                    "curl --data-binary 'Hello, DCF!' localhost:" + port + "/function/hello-java",
                    "Management token: " + home.resolve("token") + " (the dcf CLI reads it by itself",
                    "Logs: " + home.resolve("logs/gateway.log"));
            pid = PidFile.read(home).orElseThrow().pid();

            CliRunner.Result call = cli.run("Hello, DCF!".getBytes(StandardCharsets.UTF_8),
                    "function", "call", "hello-java", "--gateway", "localhost:" + port);
            assertThat(call.out()).isEqualTo("Hello, DCF!");

            long gateway = pid;
            List<Long> replicas = PooledProcesses.replicaPids(cli, "hello-java", port);
            List<Long> pooled = new ArrayList<>();
            for (String runtime : List.of("java", "python")) { // the warm pool is on by default: one each
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        !PooledProcesses.waiting(home, gateway, runtime, replicas).isEmpty());
                pooled.addAll(PooledProcesses.waiting(home, gateway, runtime, replicas));
            }
            var children = ProcessHandle.of(pid).orElseThrow().descendants().toList();
            CliRunner.Result down = cli.run("down", "--home", home.toString());

            assertThat(down.out()).isEqualTo("DCF gateway (pid " + pid + ") stopped.\n");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(children.stream().map(ProcessHandle::pid)).as("replicas and pooled processes")
                    .containsAll(replicas).containsAll(pooled);
            assertThat(children).as("no orphan replica or pooled process").noneMatch(ProcessHandle::isAlive);
            assertThat(home.resolve("pool")).as("the warm pool's directories").satisfiesAnyOf(
                    dir -> assertThat(dir).doesNotExist(), dir -> assertThat(dir).isEmptyDirectory());
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void up_keepsAUsersOwnHelloJava_andRefusesAPortHeldByAnotherHome() throws Exception {
        CliRunner cli = new CliRunner(home, home);
        Path gatewayHome = home.resolve("h");
        try {
            CliRunner.Result up = cli.run("up", "--port", "0", "--detach", "--no-examples", "--home",
                    gatewayHome.toString());
            assertThat(up.code()).as(up.toString()).isZero();
            int port = PidFile.read(gatewayHome).orElseThrow().port();
            deployOwnHelloJava(port, gatewayHome);

            // The gateway answers on the port: `dcf up` reuses it and leaves the function alone.
            CliRunner.Result again = cli.run("up", "--port", Integer.toString(port), "--home", gatewayHome.toString());
            assertThat(again.code()).as(again.toString()).isZero();
            assertThat(again.out()).contains("The DCF gateway of DCF_HOME " + gatewayHome + " already answers on"
                    + " 127.0.0.1:" + port + "; reusing it.",
                    "Function hello-java exists already: left as it is");
            assertThat(call(cli, port)).isEqualTo("mine: hi");

            // Another home asking for the same port is told that the gateway there is not its own.
            Path otherHome = home.resolve("other");
            CliRunner.Result other = cli.run("up", "--port", Integer.toString(port), "--home", otherHome.toString());
            assertThat(other.code()).as(other.toString()).isEqualTo(2);
            assertThat(other.err()).contains("port " + port + " is held by another DCF gateway, not by the one of"
                    + " DCF_HOME " + otherHome);
            assertThat(other.out()).doesNotContain("reusing it").doesNotContain("DCF is up");

            // A plain restart restores the user's function; the example does not replace it.
            assertThat(cli.run("down", "--home", gatewayHome.toString()).code()).isZero();
            CliRunner.Result restart = cli.run("up", "--port", "0", "--detach", "--home", gatewayHome.toString());
            assertThat(restart.code()).as(restart.toString()).isZero();
            assertThat(restart.out()).contains("Function hello-java exists already: left as it is");
            int newPort = PidFile.read(gatewayHome).orElseThrow().port();
            assertThat(call(cli, newPort)).isEqualTo("mine: hi");
        } finally {
            cli.run("down", "--home", gatewayHome.toString());
        }
    }

    private void deployOwnHelloJava(int port, Path gatewayHome) throws Exception {
        Path src = java.nio.file.Files.createDirectories(home.resolve("mine"));
        java.nio.file.Files.writeString(src.resolve("Handler.java"), """
                import io.dcf.sdk.Request;
                import io.dcf.sdk.Response;

                public final class Handler implements io.dcf.sdk.Handler {
                    public Response handle(Request request) { return Response.text("mine: " + request.text()); }
                }
                """);
        try (GatewayClient client = GatewayClient.connect(new GatewayAddress("127.0.0.1", port, "test"),
                BearerToken.local(gatewayHome))) {
            client.call("hello-java", GatewayClient.DEPLOY_DEADLINE, stub -> stub.deploy(DeployRequest.newBuilder()
                    .setSpec(FunctionSpec.newBuilder().setName("hello-java").setRuntime("java")
                            .setHandler(HandlerRef.newBuilder().setName("Handler")))
                    .setArtifact(Artifact.newBuilder().setLocalPath(src.toString())).build()));
        }
    }

    private static String call(CliRunner cli, int port) {
        CliRunner.Result call = cli.run("hi".getBytes(StandardCharsets.UTF_8), "function", "call", "hello-java",
                "--gateway", "localhost:" + port);
        assertThat(call.code()).as(call.toString()).isZero();
        return call.out();
    }
}
