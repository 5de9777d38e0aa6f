package io.dcf.cli.function;

import io.dcf.cli.CliRunner;
import io.dcf.cli.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -f}, {@code --function} and {@code -v}: one mixin, the same meaning in build and create. */
class ConfigSelectionTest {

    @TempDir
    Path dir;

    private CliRunner cli() {
        return new CliRunner(dir, dir.resolve("home"));
    }

    @BeforeEach
    void twoFunctionsInAnotherFile() throws Exception {
        assertThat(cli().run("function", "init", "--runtime", "python", "one").code()).isZero();
        assertThat(cli().run("function", "init", "--runtime", "python", "two").code()).isZero();
        Files.move(dir.resolve("config.yaml"), dir.resolve("stack.yaml"));
    }

    @Test
    void build_function_buildsOnlyThatFunctionOfTheFile() {
        CliRunner.Result result = cli().run("function", "build", "--builder", "local", "--yaml", "stack.yaml",
                "--function", "two", "-v");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Building: two (python, ./two)\n").endsWith("Built: two\n")
                .contains("handler.py").doesNotContain("one");
    }

    @Test
    void build_noFunction_buildsEveryFunctionOfTheFile() {
        CliRunner.Result result = cli().run("function", "build", "--builder", "local", "-f", "stack.yaml");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(
                "Building: one (python, ./one)\nBuilt: one\nBuilding: two (python, ./two)\nBuilt: two\n");
    }

    @Test
    void buildAndCreate_unknownFunction_sameUsageError() {
        for (String command : new String[] {"build", "create"}) {
            CliRunner.Result result = cli().run("function", command, "--builder", "local", "-f", "stack.yaml",
                    "--function", "three");

            assertThat(result.code()).as(command + ": " + result).isEqualTo(ExitCode.USAGE);
            assertThat(result.err()).as(command).isEqualTo("Error: function three is not in stack.yaml\n");
        }
    }

    @Test
    void buildAndCreate_missingFile_sameUsageError() {
        for (String command : new String[] {"build", "create"}) {
            CliRunner.Result result = cli().run("function", command, "--builder", "local");

            assertThat(result.code()).as(command + ": " + result).isEqualTo(ExitCode.USAGE);
            assertThat(result.err()).as(command).startsWith("Error: config.yaml not found in " + dir);
        }
    }
}
