package io.dcf.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dcf function create} against a real local gateway (a child process started as
 * {@code dcf up} starts it): the gateway's build streams back through DeployFollow and the CLI
 * shows each phase on stderr as it happens, the result lines staying on stdout.
 */
class CreateShowsBuildIT {

    @RegisterExtension
    static final LocalGateway GATEWAY = new LocalGateway();


    @TempDir
    Path work;

    private CliRunner cli() {
        return GATEWAY.cli(work);
    }

    /** The lines of {@code text} that are the display's (indented two spaces). */
    private static List<String> shown(String text) {
        return text.lines().filter(l -> l.startsWith("  ")).toList();
    }

    @Test
    void create_java_showsEachPhaseOnStderrInOrder_thenUpdateShowsTheRollingUpdate() {
        CliRunner cli = cli();
        assertThat(cli.run("function", "init", "--runtime", "java", "shown-java").code()).isZero();

        CliRunner.Result create = cli.run("function", "create", "-f", "config.yaml");

        assertThat(create.code()).as(create.toString()).isZero();
        List<String> lines = shown(create.err());
        assertThat(lines.get(0)).matches("  build: local-[A-Za-z0-9_-]{11}");
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "  phase: extracting",
                "  | unzipping",
                "  phase: building",
                "  | compiling",
                "  | compiled 1 Java file into 1 class",
                "  deploying shown-java");
        assertThat(create.out()).contains("Deploying: shown-java",
                "http trigger url: http://" + GATEWAY.address() + "/function/shown-java").doesNotContain("phase:");

        CliRunner.Result update = cli.run("function", "deploy", "-f", "config.yaml");

        assertThat(update.code()).as(update.toString()).isZero();
        assertThat(shown(update.err())).contains("  phase: building", "  | compiling")
                .endsWith("  updating shown-java (replicas replaced one at a time)");
        assertThat(update.out()).contains("Function shown-java already exists, attempting rolling-update.");
        assertThat(cli.run("function", "delete", "shown-java").code()).isZero();
    }

    @Test
    void create_javaThatDoesNotCompile_showsTheDiagnostic_andExits2WithTheGatewaysError() throws Exception {
        CliRunner cli = cli();
        assertThat(cli.run("function", "init", "--runtime", "java", "broken-java").code()).isZero();
        Files.writeString(work.resolve("broken-java/Handler.java"), """
                public final class Handler implements io.dcf.sdk.Handler {
                    public io.dcf.sdk.Response handle(io.dcf.sdk.Request r) {
                        int answer = "forty-two";
                        return io.dcf.sdk.Response.text("x");
                    }
                }
                """);

        CliRunner.Result create = cli.run("function", "create", "-f", "config.yaml");

        assertThat(create.code()).as(create.toString()).isEqualTo(ExitCode.GATEWAY);
        assertThat(create.err()).contains("  | compiling\n", "  | Handler.java:3: error: incompatible types")
                .contains("Error: function broken-java: compilation failed:")
                .doesNotContain("  deploying");
        assertThat(create.out()).doesNotContain("http trigger url");
        assertThat(cli.run("function", "list").out()).doesNotContain("broken-java");
    }

    @Test
    void create_pythonWithRequirements_showsThePipStepAndItsOutput() throws Exception {
        CliRunner cli = cli();
        assertThat(cli.run("function", "init", "--runtime", "python", "shown-py").code()).isZero();
        // grpcio is already there (system site packages): pip installs it without the network
        Files.writeString(work.resolve("shown-py/requirements.txt"), "grpcio\n");

        CliRunner.Result create = cli.run("function", "create", "-f", "config.yaml");

        assertThat(create.code()).as(create.toString()).isZero();
        List<String> lines = shown(create.err());
        assertThat(lines).containsSubsequence("  phase: extracting", "  | unzipping", "  phase: building",
                "  | installing requirements.txt (pip)", "  deploying shown-py");
        assertThat(lines).anyMatch(l -> l.startsWith("  | Requirement already satisfied: grpcio"));
        assertThat(cli.run("function", "delete", "shown-py").code()).isZero();
    }

    @Test
    void create_quiet_hidesTheBuildEvents() {
        CliRunner cli = cli();
        assertThat(cli.run("function", "init", "--runtime", "java", "quiet-java").code()).isZero();

        CliRunner.Result create = cli.run("function", "create", "-f", "config.yaml", "--quiet");

        assertThat(create.code()).as(create.toString()).isZero();
        assertThat(create.err()).doesNotContain("phase:", "compiling", "deploying");
        assertThat(create.out()).contains("http trigger url: http://" + GATEWAY.address() + "/function/quiet-java");
        assertThat(cli.run("function", "delete", "quiet-java").code()).isZero();
    }
}
