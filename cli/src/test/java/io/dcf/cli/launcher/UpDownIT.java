package io.dcf.cli.launcher;

import io.dcf.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dcf up --detach} starts the gateway with hello-java; {@code dcf down} stops it. */
class UpDownIT {

    @TempDir
    Path home;

    @Test
    void upDetached_servesHelloJava_thenDownStopsEverything() {
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

            var children = ProcessHandle.of(pid).orElseThrow().descendants().toList();
            CliRunner.Result down = cli.run("down", "--home", home.toString());

            assertThat(down.out()).isEqualTo("DCF gateway (pid " + pid + ") stopped.\n");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(children).as("no orphan replica").noneMatch(ProcessHandle::isAlive);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
