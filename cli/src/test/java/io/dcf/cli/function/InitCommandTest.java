package io.dcf.cli.function;

import io.dcf.cli.CliRunner;
import io.dcf.cli.ExitCode;
import io.dcf.cli.config.ConfigParser;
import io.dcf.cli.config.FunctionConfig;
import io.dcf.runtimes.RuntimeCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InitCommandTest {

    @TempDir
    Path dir;

    private CliRunner cli() {
        return new CliRunner(dir, dir.resolve("home"));
    }

    @Test
    void init_copiesTheTemplateAndCreatesConfigYaml_seedOrder() {
        CliRunner.Result result = cli().run("function", "init", "--runtime", "python", "hello-dcf");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("""
                Directory: hello-dcf is created.
                Function handler created in directory: hello-dcf
                Rewrite the function handler code in hello-dcf directory
                Config file written: config.yaml
                """);
        assertThat(dir.resolve("hello-dcf/handler.py")).content().contains("def Handler(req)");
        assertThat(dir.resolve("hello-dcf/requirements.txt")).exists();
        assertThat(dir.resolve("hello-dcf/Dockerfile")).exists();
        FunctionConfig fn = new ConfigParser(List.of("python")).parse(dir.resolve("config.yaml"), "config.yaml")
                .functions().get(0);
        assertThat(fn.name()).isEqualTo("hello-dcf");
        assertThat(fn.handler()).isEqualTo(new FunctionConfig.HandlerConfig("./hello-dcf", "handler.py", "Handler"));
        assertThat(fn.buildArgs()).allMatch(a -> a.startsWith("PYTHON_VERSION="));
        assertThat(dir.resolve("config.yaml")).content().contains("dcf:\n  gateway: localhost:31113\n");
    }

    @Test
    void init_nameBeforeRuntime_appendsToTheExistingConfig() throws Exception {
        assertThat(cli().run("function", "init", "--runtime", "python", "hello-dcf").code()).isZero();
        String before = Files.readString(dir.resolve("config.yaml"));

        CliRunner.Result result = cli().run("fn", "init", "hello-java", "--runtime", "java");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(dir.resolve("hello-java/Handler.java")).content().contains("implements io.dcf.sdk.Handler");
        String after = Files.readString(dir.resolve("config.yaml"));
        assertThat(after).startsWith(before.substring(0, before.indexOf("dcf:")));
        assertThat(new ConfigParser(List.of()).parse(dir.resolve("config.yaml"), "config.yaml").functions())
                .extracting(FunctionConfig::name).containsExactly("hello-dcf", "hello-java");
    }

    @Test
    void init_existingName_failsWithTheSeedMessage() {
        cli().run("function", "init", "--runtime", "python", "hello-dcf");

        CliRunner.Result result = cli().run("function", "init", "--runtime", "python", "hello-dcf");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).isEqualTo("Error: Function hello-dcf already exists in config.yaml file.\n");
    }

    @Test
    void init_unknownRuntime_listsTheSupportedOnes() {
        CliRunner.Result result = cli().run("function", "init", "--runtime", "pyton", "x");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).isEqualTo("Error: runtime 'pyton' is not supported (did you mean 'python'?); "
                + "supported runtimes: " + RuntimeCatalog.standard().joinedNames() + "\n");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("config.yaml")).doesNotExist();
    }

    @Test
    void init_invalidName_isAUsageError() {
        CliRunner.Result result = cli().run("function", "init", "--runtime", "python", "Hello_DCF");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("Error: invalid function name 'Hello_DCF' (expected a DNS-1123 label");
    }

    @Test
    void init_existingDirectory_isNotOverwritten() throws Exception {
        Files.createDirectories(dir.resolve("taken"));

        CliRunner.Result result = cli().run("function", "init", "--runtime", "python", "taken");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("already exists");
    }

    @Test
    void init_writesTheResolvedGatewayIntoANewConfig() {
        CliRunner.Result result = cli().run("function", "init", "--runtime", "python", "f", "--gateway", "remote:9");

        assertThat(result.code()).isZero();
        assertThat(dir.resolve("config.yaml")).content().contains("gateway: remote:9");
    }

    @Test
    void build_compilesTheJavaTemplateAndPrintsFilesWithVerbose() {
        cli().run("function", "init", "--runtime", "java", "hello-java");

        CliRunner.Result result = cli().run("function", "build", "-f", "config.yaml", "-v");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Building: hello-java (java, ./hello-java)", "  + Handler.java",
                "compiled Handler", "Built: hello-java");
    }

    @Test
    void build_reportsCompileErrorsWithFileAndLine() throws Exception {
        cli().run("function", "init", "--runtime", "java", "broken");
        Files.writeString(dir.resolve("broken/Handler.java"), "public class Handler {\n  int x = ;\n}\n");

        CliRunner.Result result = cli().run("function", "build");

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).contains("Handler.java:2: error:")
                .endsWith("Error: build of broken failed: it does not compile\n");
    }

    @Test
    void build_pythonWithoutHandlerFile_fails() throws Exception {
        cli().run("function", "init", "--runtime", "python", "py");
        Files.delete(dir.resolve("py/handler.py"));

        CliRunner.Result result = cli().run("function", "build");

        assertThat(result.code()).isEqualTo(ExitCode.GATEWAY);
        assertThat(result.err()).isEqualTo("Error: build of py failed: handler file handler.py not found in ./py\n");
    }

    @Test
    void build_missingConfig_isAUsageError() {
        CliRunner.Result result = cli().run("function", "build", "-f", "nope.yaml");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).startsWith("Error: nope.yaml not found in ");
    }

    @Test
    void create_invalidConfig_isAUsageErrorNamingTheLine() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "functions:\n  f:\n    runtime: python\n    runtme: x\n");

        CliRunner.Result result = cli().run("function", "create", "-f", "config.yaml");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).isEqualTo("Error: config.yaml:4: function f: unknown key 'runtme' (did you mean 'runtime'?)\n");
    }
}
