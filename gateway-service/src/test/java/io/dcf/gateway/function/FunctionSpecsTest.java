package io.dcf.gateway.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.RuntimeCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionSpecsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "hello-dcf", "x1", "0abc", "a-b-c"})
    void checkName_acceptsDns1123Labels(String name) {
        FunctionSpecs.checkName(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Hello", "hello_dcf", "-a", "a-", "a.b", "héllo"})
    void checkName_rejectsOthers(String name) {
        assertThatThrownBy(() -> FunctionSpecs.checkName(name)).isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessageStartingWith("name:");
    }

    @Test
    void checkName_rejects64Characters() {
        FunctionSpecs.checkName("a".repeat(63));
        assertThatThrownBy(() -> FunctionSpecs.checkName("a".repeat(64))).hasMessageContaining("at most 63");
    }

    @Test
    void normalize_fillsDefaults() {
        FunctionSpec spec = FunctionSpecs.normalize(FunctionSpec.newBuilder().setName("echo").setRuntime("java").build(), 64);
        assertThat(spec.getHandler().getName()).isEqualTo("Handler");
        assertThat(spec.getReplicas()).isEqualTo(1);
        assertThat(spec.getAuth()).isEqualTo("none");
    }

    @Test
    void normalize_auth_isNoneOrToken() {
        assertThat(FunctionSpecs.normalize(java("e").setAuth("token").build(), 64).getAuth()).isEqualTo("token");
        assertThatThrownBy(() -> FunctionSpecs.normalize(java("e").setAuth("basic").build(), 64))
                .hasMessage("function e: auth: 'basic' (expected one of: none, token)");
    }

    @Test
    void normalize_unknownRuntime_namesItAndTheChoices() {
        assertThatThrownBy(() -> FunctionSpecs.normalize(FunctionSpec.newBuilder().setName("echo").setRuntime("cobol").build(), 64))
                .hasMessage("function echo: runtime: unknown runtime 'cobol' (expected one of: "
                        + RuntimeCatalog.standard().joinedNames() + ")");
    }

    @Test
    void normalize_takesItsRuntimesFromTheCatalog(@TempDir Path dir) throws IOException {
        RuntimeCatalog catalog = RuntimeCatalog.read(Files.writeString(dir.resolve("list.yml"), """
                runtimes:
                  java: {watcher: java, local: true}
                  ruby: {watcher: python, local: false}
                """));

        assertThat(FunctionSpecs.normalize(java("e").setRuntime("ruby").build(), 64, catalog).getRuntime())
                .isEqualTo("ruby");
        assertThatThrownBy(() -> FunctionSpecs.normalize(java("e").setRuntime("python").build(), 64, catalog))
                .hasMessage("function e: runtime: unknown runtime 'python' (expected one of: java, ruby)");
    }

    @Test
    void normalize_emptyRuntime_isRefusedWithTheChoicesNotGuessed() {
        assertThatThrownBy(() -> FunctionSpecs.normalize(FunctionSpec.newBuilder().setName("echo").build(), 64))
                .isInstanceOf(InvalidFunctionSpecException.class)
                .hasMessage("function echo: runtime: missing (expected one of: "
                        + RuntimeCatalog.standard().joinedNames() + ")");
    }

    @Test
    void normalize_imageWithoutRuntime_isAccepted_theImageIsWhatRuns() {
        FunctionSpec spec = FunctionSpecs.normalize(FunctionSpec.newBuilder().setName("echo")
                .setImage("registry.example.com/echo:1").build(), 64);

        assertThat(spec.getRuntime()).isEmpty();
        assertThat(spec.getReplicas()).isEqualTo(1);
    }

    @Test
    void normalize_rejectsNegativeAndZeroValues() {
        assertThatThrownBy(() -> FunctionSpecs.normalize(java("e").setReplicas(-1).build(), 64))
                .hasMessage("function e: replicas: -1 (expected: 0-64)");
        assertThatThrownBy(() -> FunctionSpecs.normalize(java("e").setMaxBodyBytes(-5).build(), 64))
                .hasMessage("function e: max_body: -5 (expected: >= 0)");
        assertThatThrownBy(() -> FunctionSpecs.normalize(java("e").setTimeout(Durations.fromMillis(0)).build(), 64))
                .hasMessageContaining("timeout");
    }

    @Test
    void replicas_haveAnUpperBound() {
        assertThat(FunctionSpecs.normalize(java("e").setReplicas(64).build(), 64).getReplicas()).isEqualTo(64);
        assertThatThrownBy(() -> FunctionSpecs.normalize(java("e").setReplicas(1000).build(), 64))
                .hasMessage("function e: replicas: 1000 (expected: 0-64)");
        assertThatThrownBy(() -> FunctionSpecs.checkReplicas("e", 9, 8))
                .hasMessage("function e: replicas: 9 (expected: 0-8)");
    }

    private static FunctionSpec.Builder java(String name) {
        return FunctionSpec.newBuilder().setName(name).setRuntime("java");
    }
}
