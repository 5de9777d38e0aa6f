package io.dcf.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcf.cli.CliRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the gateway (issue 6, reliability suite): its replicas and its warm pool's waiting
 * processes end by themselves (no orphans), {@code dcf down} finds only a stale pid file and
 * signals nothing, and the next {@code dcf up} restores every function with its replica count.
 */
class GatewayCrashIT {

    @TempDir
    Path home;

    @Test
    void killedGateway_leavesNoOrphans_downSignalsNothing_upRestoresEverything() {
        CliRunner cli = new CliRunner(home, home);
        long first = 0;
        long second = 0;
        try {
            String port = up(cli);
            first = PidFile.read(home).orElseThrow().pid();
            CliRunner.Result scaled = cli.run("function", "scale", "hello-java", "--replicas", "2",
                    "--gateway", "localhost:" + port);
            assertThat(scaled.code()).as(scaled.toString()).isZero();
            long gateway = first;
            await().atMost(Duration.ofSeconds(120)).until(() -> PooledProcesses.replicaPids(cli, "hello-java", port)
                    .size() == 2);
            List<Long> replicaPids = PooledProcesses.replicaPids(cli, "hello-java", port);
            // the warm pool (on by default) has refilled: its waiting processes must end with the replicas
            for (String runtime : List.of("java", "python")) {
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        !PooledProcesses.waiting(home, gateway, runtime, replicaPids).isEmpty());
            }
            List<ProcessHandle> children = ProcessHandle.of(first).orElseThrow().descendants().toList();
            assertThat(children.stream().map(ProcessHandle::pid)).containsAll(replicaPids);

            ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook runs

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(children)
                    .as("replicas and pooled processes of a killed gateway").noneMatch(ProcessHandle::isAlive));
            CliRunner.Result down = cli.run("down", "--home", home.toString());
            assertThat(down.code()).as(down.toString()).isZero();
            assertThat(down.out()).contains("No DCF gateway is running");

            String again = up(cli);
            second = PidFile.read(home).orElseThrow().pid();
            CliRunner.Result info = cli.run("function", "info", "hello-java", "-o", "json", "--gateway",
                    "localhost:" + again);
            CliRunner.Result call = cli.run("after the crash".getBytes(StandardCharsets.UTF_8),
                    "function", "call", "hello-java", "--gateway", "localhost:" + again);

            assertThat(info.out()).as(info.toString()).containsPattern("\"replicas\": ?2");
            assertThat(call.out()).as(call.toString()).isEqualTo("after the crash");
        } finally {
            for (long pid : new long[] {first, second}) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        }
    }

    private String up(CliRunner cli) {
        CliRunner.Result up = cli.run("up", "--port", "0", "--detach", "--home", home.toString());
        assertThat(up.code()).as(up.toString()).isZero();
        Matcher m = Pattern.compile("gateway http\\+grpc on 127\\.0\\.0\\.1:(\\d+)").matcher(up.out());
        assertThat(m.find()).as(up.out()).isTrue();
        return m.group(1);
    }
}
