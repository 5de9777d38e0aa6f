package io.dcf.gateway.build.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.BuildPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaSourceCompilerTest {

    @TempDir
    Path tmp;

    @Test
    void compile_buildsHandlersAgainstTheSdk() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Handler.java"), """
                public final class Handler implements io.dcf.sdk.Handler {
                    public io.dcf.sdk.Response handle(io.dcf.sdk.Request r) { return io.dcf.sdk.Response.text("hi"); }
                }
                """);
        assertThat(new JavaSourceCompiler().compile("fn", src, tmp.resolve("classes"), List.of(), BuildSteps.NONE))
                .isTrue();
        assertThat(tmp.resolve("classes/Handler.class")).exists();
    }

    @Test
    void compile_reportsErrorsWithFileAndLine() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Handler.java"), "public class Handler {\n  int x = \"text\";\n}\n");
        List<String> told = new ArrayList<>();
        BuildSteps steps = new BuildSteps() {
            @Override
            public void step(BuildPhase phase, String what) {
                told.add(phase + " " + what);
            }

            @Override
            public void output(String line) {
                told.add(line);
            }
        };

        assertThatThrownBy(() -> new JavaSourceCompiler().compile("broken", src, tmp.resolve("classes"), List.of(),
                steps))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageContaining("function broken: compilation failed")
                .hasMessageContaining("Handler.java:2: error:");
        assertThat(told).hasSize(2);
        assertThat(told.get(0)).isEqualTo("BUILD_PHASE_BUILDING compiling");
        assertThat(told.get(1)).startsWith("Handler.java:2: error: incompatible types");
    }
}
