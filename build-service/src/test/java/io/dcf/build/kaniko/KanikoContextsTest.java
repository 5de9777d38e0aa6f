package io.dcf.build.kaniko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcf.build.BuildFailedException;
import io.dcf.build.BuildInput;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.RuntimeCatalog;
import io.dcf.runtimes.RuntimeFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context archive a build pod fetches: the function, a Dockerfile, and what the template COPYs. */
class KanikoContextsTest {

    private final KanikoContexts contexts = new KanikoContexts(RuntimeFiles.classPathRoot());

    @TempDir
    Path dir;

    private BuildInput input(String runtime) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(source.resolve("handler.py"), "def handle(req):\n    return req\n");
        Files.createDirectories(source.resolve("__pycache__"));
        Files.writeString(source.resolve("__pycache__/handler.cpython-311.pyc"), "x");
        Files.writeString(source.resolve("requirements.txt"), "");
        FunctionSpec spec = FunctionSpec.newBuilder().setName("fn").setRuntime(runtime).build();
        return new BuildInput("b1", spec, source, Files.createDirectories(dir.resolve("work")), "reg/fn", "b1");
    }

    private static Map<String, String> entries(Path archive) throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.put(entry.getName(), entry.isDirectory() ? "" : new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    @Test
    void python_withoutDockerfile_templateAndWatcherAdded_pycacheLeftOut() throws Exception {
        BuildInput input = input("python");

        KanikoContexts.Prepared prepared = contexts.prepare(input, RuntimeCatalog.standard().find("python").orElseThrow());

        assertThat(prepared.ownDockerfile()).isFalse();
        assertThat(prepared.archive()).isEqualTo(input.workDir().resolve("kaniko-context.tar.gz"));
        assertThat(prepared.bytes()).isEqualTo(Files.size(prepared.archive()));
        Map<String, String> entries = entries(prepared.archive());
        assertThat(entries).containsKeys("handler.py", "requirements.txt", "Dockerfile", "dcf-watcher/dcf_watcher.py");
        assertThat(entries.get("Dockerfile")).contains("FROM python:${PYTHON_VERSION}-slim", "COPY dcf-watcher/");
        assertThat(entries.keySet()).noneMatch(name -> name.contains("__pycache__") || name.endsWith(".pyc"));
    }

    @Test
    void ownDockerfile_kept() throws Exception {
        BuildInput input = input("python");
        Files.writeString(input.sourceDir().resolve("Dockerfile"), "FROM scratch\n");

        KanikoContexts.Prepared prepared = contexts.prepare(input, RuntimeCatalog.standard().find("python").orElseThrow());

        assertThat(prepared.ownDockerfile()).isTrue();
        assertThat(entries(prepared.archive())).containsEntry("Dockerfile", "FROM scratch\n");
    }

    @Test
    void go_sdkAdded() throws Exception {
        BuildInput input = input("go");

        KanikoContexts.Prepared prepared = contexts.prepare(input, RuntimeCatalog.standard().find("go").orElseThrow());

        assertThat(entries(prepared.archive())).containsKeys("sdk/sdk.go", "Dockerfile")
                .doesNotContainKey("dcf-watcher/dcf_watcher.py");
    }

    @Test
    void sameFiles_sameArchive() throws Exception {
        BuildInput input = input("python");
        var python = RuntimeCatalog.standard().find("python").orElseThrow();
        byte[] first = Files.readAllBytes(contexts.prepare(input, python).archive());

        byte[] second = Files.readAllBytes(contexts.prepare(input, python).archive());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void javaWithoutDockerfile_refusedSayingWhatToDo() throws Exception {
        BuildInput input = input("java");

        assertThatThrownBy(() -> contexts.prepare(input, RuntimeCatalog.standard().find("java").orElseThrow()))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("function fn: runtime java has no template Dockerfile (build it with the jib builder,"
                        + " or add a Dockerfile to the function's directory)");
    }

    @Test
    void unknownRuntimeWithoutDockerfile_refused() throws Exception {
        BuildInput input = input("rust");

        assertThatThrownBy(() -> contexts.prepare(input, null)).isInstanceOf(BuildFailedException.class)
                .hasMessageContaining("runtime 'rust' has no template Dockerfile");
    }
}
