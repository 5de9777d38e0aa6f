package io.dcf.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeListTest {

    @TempDir
    Path dir;

    @Test
    void runtimeList_printsTheRuntimesOfTheRuntimesModuleInListOrder() {
        CliRunner.Result result = new CliRunner(dir, dir.resolve("home")).run("runtime", "list");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("""
                Supported Runtimes are:
                - java
                - python
                - go
                - tensorflow
                - tensorflow-gpu
                """);
    }

    @Test
    void runtimeList_readsDcfRuntimesDirWhenSet() throws Exception {
        Files.writeString(dir.resolve("list.yml"), """
                runtimes:
                  zeta:
                    dir: zeta
                  alpha:
                    dir: alpha
                """);

        CliRunner.Result result = new CliRunner(dir, dir.resolve("home"))
                .env("DCF_RUNTIMES_DIR", dir.toString()).run("runtime", "list");

        assertThat(result.out()).isEqualTo("Supported Runtimes are:\n- zeta\n- alpha\n");
    }
}
