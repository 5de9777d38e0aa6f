package io.dcf.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigWriterTest {

    @TempDir
    Path dir;

    private static ConfigWriter.NewFunction fn(String name) {
        return new ConfigWriter.NewFunction(name, "python", "./" + name, "handler.py", "Handler", null,
                List.of("PYTHON_VERSION=3.11"));
    }

    private List<String> names(Path file) {
        return new ConfigParser(List.of()).parse(file, "config.yaml").functions().stream()
                .map(FunctionConfig::name).toList();
    }

    @Test
    void newFile_isTheSeedLayoutWithTheGateway() throws Exception {
        Path file = dir.resolve("config.yaml");

        ConfigWriter.addFunction(file, fn("hello-dcf"), "localhost:31113");

        assertThat(Files.readString(file)).isEqualTo("""
                functions:
                  hello-dcf:
                    runtime: python
                    desc: ""
                    maintainer: ""
                    handler:
                      dir: ./hello-dcf
                      file: handler.py
                      name: Handler
                    build_args:
                    - PYTHON_VERSION=3.11
                dcf:
                  gateway: localhost:31113
                """);
    }

    @Test
    void existingFile_keepsCommentsAndFunctionsAndAppendsInsideFunctions() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                # my functions
                functions:
                    first:   # the first one
                        runtime: java

                dcf:
                    gateway: example:1   # remote
                """);

        ConfigWriter.addFunction(file, fn("second"), "ignored:2");

        String text = Files.readString(file);
        assertThat(text).startsWith("# my functions\nfunctions:\n    first:   # the first one\n")
                .contains("    second:\n        runtime: python\n")
                .endsWith("\ndcf:\n    gateway: example:1   # remote\n");
        assertThat(names(file)).containsExactly("first", "second");
        assertThat(new ConfigParser(List.of()).parse(file, "c").gateway()).isEqualTo("example:1");
    }

    @Test
    void flowStyleFunctions_areReserializedWithoutLosingFunctions() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "functions: {first: {runtime: java}}\ndcf: {gateway: h:1}\n");

        ConfigWriter.addFunction(file, fn("second"), "ignored:2");

        assertThat(names(file)).containsExactly("first", "second");
        assertThat(new ConfigParser(List.of()).parse(file, "c").gateway()).isEqualTo("h:1");
    }

    @Test
    void fileWithoutFunctionsKey_getsOne() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "dcf:\n  gateway: h:1");

        ConfigWriter.addFunction(file, fn("only"), "ignored:2");

        assertThat(names(file)).containsExactly("only");
    }

    @Test
    void scalar_quotesWhatYamlWouldReadAsAnotherType() {
        assertThat(ConfigWriter.scalar("Handler")).isEqualTo("Handler");
        assertThat(ConfigWriter.scalar("./hello-dcf")).isEqualTo("./hello-dcf");
        assertThat(ConfigWriter.scalar("3.4")).isEqualTo("\"3.4\"");
        assertThat(ConfigWriter.scalar("true")).isEqualTo("\"true\"");
        assertThat(ConfigWriter.scalar("")).isEqualTo("\"\"");
        assertThat(ConfigWriter.scalar("a \"b\"")).isEqualTo("\"a \\\"b\\\"\"");
    }
}
