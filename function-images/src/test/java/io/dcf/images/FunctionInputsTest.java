package io.dcf.images;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.images.testing.Images;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the recipes refuse, with messages that name the field and the path. */
class FunctionInputsTest {

    @TempDir
    Path dir;

    @Test
    void java_missingClasses_namesField() {
        assertThatThrownBy(() -> JavaFunction.of(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("classes: " + dir.resolve("nope"))
                .hasMessageContaining("expected: a directory");
    }

    @Test
    void java_dependencyNotAJar_namesIt() throws Exception {
        Path text = Images.write(dir.resolve("lib/readme.txt"), "x");
        assertThatThrownBy(() -> new JavaFunction(dir, List.of(text)))
                .hasMessage("dependencies: " + text + " (expected: an existing .jar file)");
    }

    @Test
    void java_twoJarsWithOneName_refused() throws Exception {
        Path a = Images.jar(dir.resolve("a/dep.jar"), "a", "a");
        Path b = Images.jar(dir.resolve("b/dep.jar"), "b", "b");
        assertThatThrownBy(() -> new JavaFunction(dir, List.of(a, b)))
                .hasMessageContaining("two jars are named dep.jar");
    }

    @Test
    void python_handlerFileMissingOrOutside_refused() throws Exception {
        Images.write(dir.resolve("fn/handler.py"), "");
        Images.write(dir.resolve("secret.py"), "");
        Path fn = dir.resolve("fn");
        assertThatThrownBy(() -> new PythonFunction(fn, "main.py"))
                .hasMessage("handlerFile: 'main.py' (expected: a file inside " + fn + ", e.g. handler.py)");
        assertThatThrownBy(() -> new PythonFunction(fn, "../secret.py"))
                .hasMessageContaining("handlerFile: '../secret.py'");
    }

    @Test
    void baseImage_invalidReference_namesIt() throws Exception {
        Images.write(dir.resolve("handler.py"), "");
        assertThatThrownBy(() -> FunctionImages.python("Not A Reference!", PythonFunction.of(dir)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baseImage: 'Not A Reference!'");
    }
}
