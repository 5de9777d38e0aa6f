package io.dcf.cli.launcher;

import io.dcf.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DownCommandTest {

    @TempDir
    Path home;

    @Test
    void down_withoutPidFile_saysSoAndSucceeds() {
        CliRunner.Result result = new CliRunner(home, home).run("down");

        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo("No DCF gateway is running (no " + home.resolve("gateway.pid") + ").\n");
    }

    @Test
    void down_stopsTheGatewayNamedByThePidFile() throws Exception {
        // A stand-in whose command line names the gateway's jar, as `java -jar .../dcf-gateway.jar` does.
        Process gateway = new ProcessBuilder("sh", "-c", "sleep 300; :", "dcf-gateway.jar").start();
        try {
            Files.writeString(PidFile.path(home), "pid=" + gateway.pid() + "\nport=31113\nstarted="
                    + gateway.info().startInstant().orElseThrow() + "\n");

            CliRunner.Result result = new CliRunner(home, Path.of("/nonexistent")).run("down", "--home", home.toString());

            assertThat(result.code()).as(result.toString()).isZero();
            assertThat(result.out()).isEqualTo("DCF gateway (pid " + gateway.pid() + ") stopped.\n");
            assertThat(gateway.isAlive()).isFalse();
        } finally {
            gateway.descendants().forEach(ProcessHandle::destroyForcibly);
            gateway.destroyForcibly();
        }
    }

    @Test
    void down_withStalePidFileNamingALiveUnrelatedProcess_signalsNothing() throws Exception {
        // A gateway killed with -9 left its pid file; the OS gave the pid to `sleep` since.
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(PidFile.path(home), "pid=" + unrelated.pid() + "\nport=31113\n"
                    + "started=2001-01-01T00:00:00Z\ninstance=x\n");

            CliRunner.Result result = new CliRunner(home, home).run("down");

            assertThat(result.code()).as(result.toString()).isZero();
            assertThat(result.out()).startsWith("No DCF gateway is running (pid " + unrelated.pid() + " in "
                    + PidFile.path(home) + " belongs to another program now (started ")
                    .endsWith("; removed the stale file, signalled nothing).\n");
            assertThat(unrelated.isAlive()).isTrue();
            assertThat(PidFile.path(home)).doesNotExist();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void down_withOldStylePidFileNamingAnUnrelatedProcess_checksTheCommandLine() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(PidFile.path(home), "pid=" + unrelated.pid() + "\nport=31113\n");

            CliRunner.Result result = new CliRunner(home, home).run("down");

            assertThat(result.out()).contains("belongs to another program now (").contains("sleep 60")
                    .contains("signalled nothing");
            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void down_withStalePidFile_removesIt() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(PidFile.path(home), "pid=" + gone.pid() + "\nport=1\n");

        CliRunner.Result result = new CliRunner(home, home).run("down");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("is gone; removed the stale file, signalled nothing");
        assertThat(PidFile.path(home)).doesNotExist();
    }

    @Test
    void pidFile_readsJavaPropertiesFormat() throws Exception {
        Files.writeString(PidFile.path(home), "#written by the gateway\npid=42\nport=5000\n");

        assertThat(PidFile.read(home)).contains(new PidFile(42, 5000, ""));
    }

    @Test
    void up_withoutBuiltJars_isAUsageErrorNamingTheJar() throws Exception {
        Path repo = Files.createDirectories(home.resolve("repo"));

        CliRunner.Result result = new CliRunner(home, home).env("DCF_REPO", repo.toString())
                .run("up", "--port", "0", "--home", home.resolve("h").toString());

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: " + repo.resolve("gateway-service/target/dcf-gateway.jar")
                + " is missing; build DCF with ./mvnw -DskipTests install");
    }
}
