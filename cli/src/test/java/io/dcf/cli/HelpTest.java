package io.dcf.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HelpTest {

    @TempDir
    Path dir;

    @Test
    void help_ofEveryCommand_mentionsEachOfItsOptionsAndAnExample() {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()), Map.of(), dir, false);
        List<CommandSpec> commands = new ArrayList<>();
        collect(DcfMain.commandLine(cli), commands);
        assertThat(commands).hasSizeGreaterThan(18);

        for (CommandSpec spec : commands) {
            List<String> args = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" ")));
            args.remove(0);
            args.add("--help");
            CliRunner.Result result = new CliRunner(dir, dir).run(args.toArray(String[]::new));

            assertThat(result.code()).as(spec.qualifiedName()).isZero();
            assertThat(result.out()).as(spec.qualifiedName()).contains("Usage: " + spec.qualifiedName());
            for (OptionSpec option : spec.options()) {
                assertThat(result.out()).as(spec.qualifiedName()).contains(option.longestName());
            }
            if (spec.subcommands().isEmpty()) {
                assertThat(result.out()).as(spec.qualifiedName() + " has an example").containsPattern("Examples?:");
            }
        }
    }

    @Test
    void topLevelHelp_listsExitCodesAndGatewayResolution() {
        CliRunner.Result result = new CliRunner(dir, dir).run("--help");

        assertThat(result.out()).contains("Exit codes:", "0  success", "1  usage or configuration error",
                "2  gateway or function error", "DCF_GATEWAY", "localhost:31113");
    }

    @Test
    void fnIsAnAliasOfFunction() {
        CliRunner.Result result = new CliRunner(dir, dir).run("fn", "list", "--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("Usage: dcf function list");
    }

    @Test
    void unknownOption_isAUsageErrorOnOneLine() {
        CliRunner.Result result = new CliRunner(dir, dir).run("function", "list", "--bogus");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("Error: Unknown option: '--bogus'").hasLineCount(1);
    }

    @Test
    void missingSubcommand_isAUsageError() {
        CliRunner.Result result = new CliRunner(dir, dir).run("function");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("Error: Missing required subcommand");
    }

    @Test
    void completion_printsABashCompletionScript() {
        CliRunner.Result result = new CliRunner(dir, dir).run("completion");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("complete -F", "function", "runtime");
    }

    private static void collect(CommandLine cl, List<CommandSpec> into) {
        into.add(cl.getCommandSpec());
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) {
                collect(sub, into);
            }
        });
    }
}
