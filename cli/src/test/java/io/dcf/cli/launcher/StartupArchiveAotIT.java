package io.dcf.cli.launcher;

import io.dcf.cli.CliRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dcf up}'s AOT cache (JDK 25+, JEP 483/514/515) on real processes: the real CLI jar run by a
 * JDK 25 from /usr/lib/jvm (as {@code ./dcf} runs it with that JDK's java), so its gateway runs on
 * JDK 25 too. The cache is recorded when a gateway exits, and the next gateway loads its classes from
 * it ({@code jcmd VM.classes} flags them shared); a cache made for another class path, and an
 * unfinished recording, are ignored with a line on stderr and in gateway.log, and the gateway serves.
 * StartupArchiveIT covers the same on the JDK the build runs (17: the CDS archive).
 */
class StartupArchiveAotIT {

    private static final Path JDK = Jdk25.home();

    @TempDir
    Path home;

    private final Path repo = Path.of(System.getProperty("dcf.repo"));

    @AfterEach
    void down() throws Exception {
        dcf("down", "--home", home.toString());
    }

    @Test
    void up_onJdk25_recordsAnAotCacheAtExit_andTheNextGatewayLoadsClassesFromIt() throws Exception {
        StartupArchive archive = archive();

        CliRunner.Result first = up();
        assertThat(first.err()).contains("dcf up: no start-up archive (AOT cache)",
                "the gateway records " + archive.archive() + " when it exits");
        assertThat(gatewayArguments()).contains("-XX:AOTCacheOutput=" + archive.pending());
        CliRunner.Result down = dcf("down", "--home", home.toString());
        assertThat(down.code()).as(down.toString()).isZero();
        assertThat(archive.pending()).as("assembled at exit").isRegularFile();

        CliRunner.Result second = up();
        assertThat(second.err()).doesNotContain("start-up archive");
        assertThat(archive.archive()).as("checked by a trial JVM and moved into place").isRegularFile();
        assertThat(archive.pending()).doesNotExist();
        assertThat(cacheFiles()).as("no recording configuration left behind").containsExactly(
                archive.archive().getFileName().toString());
        assertThat(gatewayArguments()).contains("-XX:AOTCache=" + archive.archive());
        assertThat(Files.readString(home.resolve("logs/gateway.log"), StandardCharsets.UTF_8))
                .contains("dcf up: the gateway's JVM maps its start-up archive " + archive.archive() + " (AOT cache)");
        assertThat(classFlags("io.dcf.gateway.GatewayApplication")).as("loaded from the AOT cache").contains("S");
    }

    @Test
    void up_onJdk25_withACacheMadeForAnotherClassPath_servesWithoutIt_andSaysSo() throws Exception {
        StartupArchive archive = archive();
        Files.createDirectories(archive.archive().getParent());
        // A real AOT cache of this JDK, for the CLI's class path instead of the gateway's.
        Process other = new ProcessBuilder(java().toString(), "-XX:AOTCacheOutput=" + archive.archive(),
                "-Xlog:aot*=error", "-cp", repo.resolve("cli/target/dcf-cli.jar").toString(), "io.dcf.cli.DcfMain",
                "--version").redirectErrorStream(true).redirectOutput(home.resolve("other.log").toFile()).start();
        assertThat(other.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(archive.archive()).as(Files.readString(home.resolve("other.log"))).isRegularFile();

        CliRunner.Result up = up();

        String line = "dcf up: the gateway's JVM did not use its start-up archive " + archive.archive();
        assertThat(up.err()).contains(line);
        assertThat(Files.readString(home.resolve("logs/gateway.log"), StandardCharsets.UTF_8)).contains(line);
        assertThat(archive.archive()).as("deleted: the next gateway records a new one").doesNotExist();
        assertThat(classFlags("io.dcf.gateway.GatewayApplication")).doesNotContain("S");
    }

    @Test
    void up_onJdk25_withAnUnfinishedRecording_deletesIt_andRecordsAgain() throws Exception {
        StartupArchive archive = archive();
        Files.createDirectories(archive.archive().getParent());
        byte[] torn = new byte[64 * 1024];
        new Random(25).nextBytes(torn);
        Files.write(archive.pending(), torn); // as a gateway killed while its cache was assembled leaves it

        CliRunner.Result up = up();

        assertThat(up.err()).contains("dcf up: the start-up archive " + archive.pending()
                + " that the last gateway recorded cannot be used", "the gateway records " + archive.archive());
        assertThat(archive.archive()).doesNotExist();
        assertThat(gatewayArguments()).contains("-XX:AOTCacheOutput=" + archive.pending());
    }

    /** {@code dcf up} on JDK 25; it returns once the gateway answers. */
    private CliRunner.Result up() throws Exception {
        CliRunner.Result up = dcf("up", "--port", "0", "--detach", "--no-examples", "--wait", "600", "--home",
                home.toString()); // a recording JVM starts slower; a loaded machine much slower
        assertThat(up.code()).as(up.toString()).isZero();
        assertThat(up.out()).contains("DCF is up");
        return up;
    }

    /** The CLI jar run by the JDK 25, as {@code ./dcf} would run it. */
    private CliRunner.Result dcf(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java().toString(), "-Ddcf.repo=" + repo, "-jar",
                repo.resolve("cli/target/dcf-cli.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home.getParent(), "dcf-out", ".txt");
        Path err = Files.createTempFile(home.getParent(), "dcf-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().put("DCF_HOME", home.toString());
            Process cli = builder.start();
            cli.getOutputStream().close();
            if (!cli.waitFor(15, TimeUnit.MINUTES)) {
                cli.destroyForcibly();
                throw new AssertionError("dcf " + String.join(" ", args) + " did not exit within 15 minutes");
            }
            return new CliRunner.Result(cli.exitValue(), Files.readAllBytes(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private Path java() {
        return JDK.resolve("bin/java");
    }

    private List<String> gatewayArguments() {
        long pid = PidFile.read(home).orElseThrow().pid();
        return List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
    }

    /** The JVM's flags for a loaded class ({@code jcmd VM.classes}: S = loaded from the shared archive). */
    private String classFlags(String className) throws Exception {
        long pid = PidFile.read(home).orElseThrow().pid();
        Process jcmd = new ProcessBuilder(JDK.resolve("bin/jcmd").toString(), Long.toString(pid), "VM.classes")
                .redirectErrorStream(true).start();
        String listing = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jcmd.waitFor(120, TimeUnit.SECONDS)).isTrue();
        // KlassAddr Size State Flags ClassName; a class without flags has four columns.
        return listing.lines().map(String::trim).map(l -> l.split("\\s+"))
                .filter(c -> c[c.length - 1].equals(className)).findFirst()
                .map(c -> c.length == 5 ? c[3] : "")
                .orElseThrow(() -> new AssertionError(className + " not in jcmd VM.classes:\n" + listing));
    }

    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("cache"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** The archive the CLI on that JDK computes for the gateway jar. */
    private StartupArchive archive() throws Exception {
        return StartupArchive.of(home.resolve("cache"), java(), Jdk25.feature(JDK), Jdk25.vmVersion(JDK),
                GatewayProcess.gatewayJar(repo));
    }
}
