package io.dcf.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.runtimes.FunctionRuntime.Watcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeCatalogTest {

    @TempDir
    Path dir;

    private RuntimeCatalog read(String yaml) throws IOException {
        return RuntimeCatalog.read(Files.writeString(dir.resolve("list.yml"), yaml));
    }

    @Test
    void read_keepsOrder_andDefaultsTheOptionalFields() throws IOException {
        RuntimeCatalog catalog = read("""
                runtimes:
                  zeta:
                    watcher: python
                    local: true
                    image: {base: debian}      # a key the catalog does not know is left alone
                  alpha:
                    dir: alpha-dir
                    description: the first letter
                    watcher: java
                    local: false
                    build_args: [JAVA_VERSION=17]
                    handler: {file: A.java, name: A}
                """);

        assertThat(catalog.names()).containsExactly("zeta", "alpha");
        assertThat(catalog.find("zeta")).contains(
                new FunctionRuntime("zeta", "zeta", "", List.of(), "", "Handler", Watcher.PYTHON, true));
        assertThat(catalog.find("alpha")).contains(new FunctionRuntime("alpha", "alpha-dir", "the first letter",
                List.of("JAVA_VERSION=17"), "A.java", "A", Watcher.JAVA, false));
        assertThat(catalog.find("beta")).isEmpty();
        assertThat(catalog.joinedNames()).isEqualTo("zeta, alpha");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            no watcher        | r: {local: true}                                  | runtime 'r': watcher: missing (expected one of: java, python, go)
            unknown watcher   | r: {watcher: rust, local: true}                   | runtime 'r': watcher: 'rust' (expected one of: java, python, go)
            no local          | r: {watcher: java}                                | runtime 'r': local: missing (expected true or false)
            local not a bool  | r: {watcher: java, local: sometimes}              | runtime 'r': local: 'sometimes' (expected true or false)
            dir outside       | r: {dir: ../etc, watcher: java, local: true}      | runtime 'r': dir: '../etc' (expected a directory name beside list.yml)
            dir a number      | r: {dir: 7, watcher: java, local: true}           | runtime 'r': dir: '7' (expected a string)
            build_args a map  | r: {build_args: {A: 1}, watcher: java, local: true} | runtime 'r': build_args: expected a list of NAME=value
            build_arg no '='  | r: {build_args: [JAVA], watcher: java, local: true} | runtime 'r': build_args: 'JAVA' (expected NAME=value)
            handler a string  | r: {handler: h.py, watcher: java, local: true}    | runtime 'r': handler: expected a map of fields
            entry a string    | r: python                                         | runtime 'r': expected a map of fields
            bad name          | '../r': {watcher: java, local: true}              | runtimes: '../r' is not a valid runtime name
            """)
    void read_malformedEntry_namesTheFileTheRuntimeAndTheField(String title, String entry, String message)
            throws IOException {
        Path list = Files.writeString(dir.resolve("list.yml"), "runtimes:\n  " + entry + "\n");

        assertThatThrownBy(() -> RuntimeCatalog.read(list)).isInstanceOf(RuntimeCatalogException.class)
                .hasMessageStartingWith(list + ": " + message);
    }

    @Test
    void read_malformedFile_namesTheFile() throws IOException {
        assertThatThrownBy(() -> read("runtime:\n  java: {}\n"))
                .hasMessage(dir.resolve("list.yml") + ": runtimes: missing (expected a map of runtime names to"
                        + " their fields)");
        assertThatThrownBy(() -> read("runtimes: {}\n"))
                .hasMessage(dir.resolve("list.yml") + ": runtimes: empty (expected at least one runtime)");
        assertThatThrownBy(() -> read("runtimes:\n  a: {watcher: java, local: true}\n  a: {}\n"))
                .hasMessageStartingWith(dir.resolve("list.yml") + ": not valid YAML:").hasMessageContaining("a");
        assertThatThrownBy(() -> read("runtimes: [\n"))
                .hasMessageStartingWith(dir.resolve("list.yml") + ": not valid YAML:");
    }

    @Test
    void read_isBounded() throws IOException {
        String huge = "runtimes:\n  a: {watcher: java, local: true}\n# " + "x".repeat(RuntimeListParser.MAX_BYTES)
                + "\n";

        assertThatThrownBy(() -> read(huge)).isInstanceOf(RuntimeCatalogException.class)
                .hasMessage(dir.resolve("list.yml") + ": larger than 256 KiB (expected the few kilobytes of a"
                        + " runtime list)");
    }

    @Test
    void read_missingFile_saysWhere() {
        Path missing = dir.resolve("nowhere/list.yml");

        assertThatThrownBy(() -> RuntimeCatalog.read(missing)).isInstanceOf(RuntimeCatalogException.class)
                .hasMessage("no runtime list at " + missing);
    }
}
