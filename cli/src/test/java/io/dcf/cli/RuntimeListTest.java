package io.dcf.cli;

import io.dcf.runtimes.RuntimeCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeListTest {

    @TempDir
    Path dir;

    private CliRunner cli() {
        return new CliRunner(dir, dir.resolve("home"));
    }

    @Test
    void runtimeList_printsTheRuntimesOfTheRuntimesModuleInListOrder() {
        CliRunner.Result result = cli().run("runtime", "list");

        assertThat(result.code()).as(result.toString()).isZero();
        StringBuilder expected = new StringBuilder("Supported Runtimes are:\n");
        RuntimeCatalog.standard().names().forEach(name -> expected.append("- ").append(name).append('\n'));
        assertThat(result.out()).isEqualTo(expected.toString()).contains("- tensorflow-gpu\n");
    }

    @Test
    void runtimeList_readsDcfRuntimesDirWhenSet() throws Exception {
        Files.writeString(dir.resolve("list.yml"), """
                runtimes:
                  zeta:
                    watcher: python
                    local: true
                  alpha:
                    watcher: java
                    local: true
                """);

        CliRunner.Result result = cli().env("DCF_RUNTIMES_DIR", dir.toString()).run("runtime", "list");

        assertThat(result.out()).isEqualTo("Supported Runtimes are:\n- zeta\n- alpha\n");
    }

    @Test
    void runtimeList_malformedListYml_namesTheFileRuntimeAndField() throws Exception {
        Path list = Files.writeString(dir.resolve("list.yml"), "runtimes:\n  zeta:\n    local: true\n");

        CliRunner.Result result = cli().env("DCF_RUNTIMES_DIR", dir.toString()).run("runtime", "list");

        assertThat(result.code()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).isEqualTo("Error: " + list
                + ": runtime 'zeta': watcher: missing (expected one of: java, python, go)\n");
    }

    /** One list: a runtime added to list.yml is listed, initialised, validated and built with its own handler file. */
    @Test
    void runtimeAddedToListYml_isAcceptedByInitConfigAndBuild() throws Exception {
        Path runtimes = Files.createDirectories(dir.resolve("runtimes"));
        Files.writeString(runtimes.resolve("list.yml"), """
                runtimes:
                  java: {watcher: java, local: true, handler: {file: Handler.java}}
                  pyx: {watcher: python, local: true, build_args: [PYX_VERSION=1], handler: {file: main.py}}
                """);
        Files.createDirectories(runtimes.resolve("pyx/template"));
        Files.writeString(runtimes.resolve("pyx/template/main.py"), "def Handler(req):\n    return req.input\n");
        CliRunner cli = cli().env("DCF_RUNTIMES_DIR", runtimes.toString());

        assertThat(cli.run("runtime", "list").out()).isEqualTo("Supported Runtimes are:\n- java\n- pyx\n");
        CliRunner.Result init = cli.run("function", "init", "hello", "--runtime", "pyx");
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(dir.resolve("hello/main.py")).exists();
        assertThat(dir.resolve("config.yaml")).content().contains("runtime: pyx").contains("PYX_VERSION=1");
        CliRunner.Result build = cli.run("function", "build");
        assertThat(build.code()).as(build.toString()).isZero();
        assertThat(build.out()).contains("Built: hello");

        Files.writeString(dir.resolve("config.yaml"), "functions:\n  hello:\n    runtime: pyx\n");
        Files.delete(dir.resolve("hello/main.py"));
        assertThat(cli.run("function", "build").err())
                .contains("build of hello failed: handler file main.py not found in ./hello");
        Files.writeString(dir.resolve("config.yaml"), "functions:\n  hello:\n    runtime: python\n");
        assertThat(cli.run("function", "build").err())
                .contains("runtime: 'python' is not supported").endsWith("supported runtimes: java, pyx\n");
    }
}
