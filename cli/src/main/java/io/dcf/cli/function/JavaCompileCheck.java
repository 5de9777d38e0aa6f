package io.dcf.cli.function;

import io.dcf.cli.CliException;
import io.dcf.common.FileTrees;
import io.dcf.runtimes.build.JavaCompileException;
import io.dcf.runtimes.build.JavaSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Compiles a Java handler directory locally with the shared compile step ({@link JavaSources}:
 * function-sdk and the directory's own jars), so {@code dcf function build} reports compile
 * errors before anything is sent to the gateway.
 */
final class JavaCompileCheck {

    private JavaCompileCheck() {
    }

    /** The outcome: success, the compiler's messages, and the classes produced. */
    record Result(boolean ok, List<String> messages, List<String> classes) {
    }

    static Result compile(Path dir) throws IOException {
        Path out = Files.createTempDirectory("dcf-build");
        try {
            JavaSources.Compilation c = JavaSources.compile(dir.getFileName().toString(), dir, out, JavaSources.jars(dir));
            if (c.empty()) {
                return new Result(false, List.of("no .java files in " + dir), List.of());
            }
            return new Result(true, c.messages(), c.classes());
        } catch (JavaCompileException e) {
            if (e.noCompiler()) {
                throw CliException.usage("no Java compiler in this Java runtime (" + System.getProperty("java.home")
                        + "); run dcf with a JDK");
            }
            return new Result(false, e.errors(), List.of());
        } finally {
            FileTrees.delete(out);
        }
    }
}
