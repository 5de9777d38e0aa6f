package io.dcf.build.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.RuntimeCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderChoiceTest {

    @TempDir
    Path src;
    private final BuilderChoice choice = new BuilderChoice(RuntimeCatalog.standard());

    @Test
    void choose_javaAndPython_areJib() {
        assertThat(choice.choose(spec("java"), "", src)).isEqualTo(new BuilderChoice.Choice("jib", true, "runtime java"));
        assertThat(choice.choose(spec("python"), "", src).builder()).isEqualTo("jib");
    }

    @Test
    void choose_goAndTensorflow_areKaniko() {
        for (String runtime : new String[] {"go", "tensorflow", "tensorflow-gpu"}) {
            BuilderChoice.Choice c = choice.choose(spec(runtime), "", src);
            assertThat(c.builder()).isEqualTo("kaniko");
            assertThat(c.reason()).isEqualTo("runtime " + runtime + " is built from its Dockerfile");
        }
    }

    @Test
    void choose_aDockerfileOfItsOwn_isKaniko_butTheTemplatesIsNot() throws IOException {
        try (InputStream template = getClass().getClassLoader()
                .getResourceAsStream("dcf-runtimes/python/template/Dockerfile")) {
            Files.write(src.resolve("Dockerfile"), template.readAllBytes());
        }
        assertThat(choice.choose(spec("python"), "", src).builder()).isEqualTo("jib");
        Files.writeString(src.resolve("Dockerfile"), "FROM scratch\n");
        assertThat(choice.choose(spec("python"), "", src))
                .isEqualTo(new BuilderChoice.Choice("kaniko", true, "the bundle has a Dockerfile of its own"));
    }

    @Test
    void choose_asked_isKeptAndNotAutomatic() {
        assertThat(choice.choose(spec("go"), "jib", src)).isEqualTo(new BuilderChoice.Choice("jib", false, "asked for"));
    }

    @Test
    void requested_unknownBuilder_andRuntime_areInvalid() {
        assertThatThrownBy(() -> BuilderChoice.requested("docker"))
                .hasMessage("builder: 'docker' (expected: jib, kaniko, or empty to let the service choose)");
        assertThatThrownBy(() -> choice.choose(spec("cobol"), "", src))
                .hasMessageStartingWith("function fn: runtime: 'cobol' (expected one of: java, python, go");
    }

    private static FunctionSpec spec(String runtime) {
        return FunctionSpec.newBuilder().setName("fn").setRuntime(runtime).build();
    }
}
