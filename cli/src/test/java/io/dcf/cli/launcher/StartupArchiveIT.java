package io.dcf.cli.launcher;

import io.dcf.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dcf up}'s start-up archive on real gateway processes: recorded at a gateway's exit and
 * used by the next one; a damaged one is ignored with a line on stderr and in gateway.log, and
 * the gateway serves anyway.
 */
class StartupArchiveIT {

    @TempDir
    Path home;

    private final Path repo = Path.of(System.getProperty("dcf.repo"));

    @Test
    void up_recordsTheArchiveAtExit_andTheNextStartMapsIt() throws Exception {
        CliRunner cli = new CliRunner(home, home);
        StartupArchive archive = archive();
        try {
            CliRunner.Result first = up(cli);
            assertThat(first.err()).contains("dcf up: no start-up archive (" + archive.kind() + ")",
                    "the gateway records " + archive.archive() + " when it exits");
            assertThat(cli.run("down", "--home", home.toString()).code()).isZero();
            assertThat(archive.pending()).as("recorded at exit").isRegularFile();

            CliRunner.Result second = up(cli);
            assertThat(second.err()).doesNotContain("start-up archive");
            assertThat(archive.archive()).as("checked and moved into place").isRegularFile();
            assertThat(archive.pending()).doesNotExist();
            long pid = PidFile.read(home).orElseThrow().pid();
            assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "maps")))
                    .as("the gateway's JVM maps the archive").contains(archive.archive().toString());
        } finally {
            cli.run("down", "--home", home.toString());
        }
    }

    @Test
    void up_withADamagedArchive_servesWithoutIt_andSaysSo() throws Exception {
        CliRunner cli = new CliRunner(home, home);
        StartupArchive archive = archive();
        Files.createDirectories(archive.archive().getParent());
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.write(archive.archive(), garbage);
        try {
            CliRunner.Result up = up(cli);
            String line = "dcf up: the gateway's JVM did not use its start-up archive " + archive.archive();
            assertThat(up.err()).contains(line);
            assertThat(Files.readString(home.resolve("logs/gateway.log"), StandardCharsets.UTF_8)).contains(line);
            assertThat(archive.archive()).as("deleted: the next gateway records a new one").doesNotExist();
        } finally {
            cli.run("down", "--home", home.toString());
        }
    }

    @Test
    void up_withAnUnfinishedRecording_deletesIt_andRecordsAgain() throws Exception {
        CliRunner cli = new CliRunner(home, home);
        StartupArchive archive = archive();
        Files.createDirectories(archive.archive().getParent());
        Files.write(archive.pending(), new byte[20_000]); // as a gateway killed while writing it leaves it
        try {
            CliRunner.Result up = up(cli);
            assertThat(up.err()).contains("dcf up: the start-up archive " + archive.pending()
                    + " that the last gateway recorded cannot be used", "the gateway records " + archive.archive());
            assertThat(archive.archive()).doesNotExist();
        } finally {
            cli.run("down", "--home", home.toString());
        }
    }

    @Test
    void up_jvmCacheOff_startsWithoutArchive() {
        CliRunner cli = new CliRunner(home, home);
        try {
            CliRunner.Result up = cli.run("up", "--port", "0", "--detach", "--no-examples", "--jvm-cache", "off",
                    "--home", home.toString());
            assertThat(up.code()).as(up.toString()).isZero();
            assertThat(up.err()).doesNotContain("start-up archive");
            long pid = PidFile.read(home).orElseThrow().pid();
            assertThat(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow())
                    .noneMatch(a -> a.startsWith("-XX:"));
        } finally {
            cli.run("down", "--home", home.toString());
        }
        assertThat(home.resolve("cache")).doesNotExist();
    }

    /** Serves: {@code dcf up} waits for the gateway to answer Health. */
    private CliRunner.Result up(CliRunner cli) {
        CliRunner.Result up = cli.run("up", "--port", "0", "--detach", "--no-examples", "--home", home.toString());
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(up.out()).contains("DCF is up");
        return up;
    }

    /** The archive dcf up computes for this JVM (the test's, which runs the CLI in-process) and the jar. */
    private StartupArchive archive() throws Exception {
        return StartupArchive.of(home.resolve("cache"), GatewayProcess.java(), Runtime.version().feature(),
                System.getProperty("java.vm.version"), GatewayProcess.gatewayJar(repo));
    }
}
