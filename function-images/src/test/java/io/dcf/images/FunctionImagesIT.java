package io.dcf.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage.Entry;
import io.dcf.images.testing.PushedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes pushed to a real registry (docker-registry on an ephemeral port) on a tiny
 * tarball base, then read back over the registry's API: layers and their entries, entrypoint,
 * env, user, port, label; and the same input always gives the same digest.
 */
class FunctionImagesIT {

    @TempDir
    static Path dir;
    private static LocalRegistry registry;
    private static String base;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
        base = "tar://" + Images.tinyBase(Files.createDirectories(dir.resolve("base")));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void java_classesDirectoryAndJars_dependenciesLayerThenClassesLayer_watcherEntrypoint() throws Exception {
        Path fn = dir.resolve("java-dir");
        Path classes = Images.write(fn.resolve("classes/com/example/Handler.class"), "not really a class").getParent()
                .getParent().getParent();
        Images.write(classes.resolve("app.properties"), "greeting=hi");
        Path a = Images.jar(fn.resolve("jars/a.jar"), "a.txt", "a");
        Path b = Images.jar(fn.resolve("jars/b.jar"), "b.txt", "b");

        push(FunctionImages.java(base, new JavaFunction(classes, List.of(a, b))), "fn/java-dir:1");
        PushedImage image = read("fn/java-dir", "1");

        assertThat(image.layerCount()).isEqualTo(3);
        assertThat(image.layer(1)).containsOnlyKeys("/dcf", "/dcf/function", "/dcf/function/lib",
                "/dcf/function/lib/a.jar", "/dcf/function/lib/b.jar");
        Map<String, Entry> classesLayer = image.layer(2);
        assertThat(classesLayer).containsKeys("/dcf/function/classes/com/example/Handler.class",
                "/dcf/function/classes/app.properties");
        assertThat(classesLayer.get("/dcf/function/classes/com/example/Handler.class"))
                .isEqualTo(new Entry(0644, 0, 18));
        assertThat(classesLayer.get("/dcf/function/classes/com/example").mode()).isEqualTo(0755);
        assertThat(image.entrypoint()).containsExactly("/opt/java/openjdk/bin/java", "-XX:MaxRAMPercentage=75",
                "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/dcf/watcher/dcf-watcher.jar");
        assertThat(image.cmd()).isEmpty();
        assertThat(image.env()).containsEntry("PATH", "/usr/bin:/bin")
                .containsEntry("DCF_HANDLER_PATH",
                        "/dcf/function/classes:/dcf/function/lib/a.jar:/dcf/function/lib/b.jar")
                .containsEntry("DCF_FUNCTION_DIR", "/dcf/function")
                .doesNotContainKeys("DCF_HANDLER", "DCF_FUNCTION_NAME", "DCF_WATCHER_PORT");
        assertThat(image.user()).isEqualTo("10001:10001");
        assertThat(image.workingDir()).isEqualTo("/dcf/function");
        assertThat(image.exposedPorts()).containsExactly("50051/tcp");
        assertThat(image.label("io.dcf.runtime")).isEqualTo("java");
    }

    @Test
    void java_classesJar_isFirstOnHandlerPath() throws Exception {
        Path fn = dir.resolve("java-jar");
        Path handler = Images.jar(fn.resolve("handler.jar"), "Handler.class", "x");
        Path dep = Images.jar(fn.resolve("lib/dep.jar"), "d.txt", "d");

        push(FunctionImages.java(base, new JavaFunction(handler, List.of(dep))), "fn/java-jar:1");
        PushedImage image = read("fn/java-jar", "1");

        assertThat(image.layerCount()).isEqualTo(3);
        assertThat(image.layer(2)).containsKey("/dcf/function/handler.jar");
        assertThat(image.env()).containsEntry("DCF_HANDLER_PATH", "/dcf/function/handler.jar:/dcf/function/lib/dep.jar");
    }

    @Test
    void python_directory_oneLayerWithoutBytecode_envNamesHandlerFile() throws Exception {
        Path fn = dir.resolve("python");
        Images.write(fn.resolve("main.py"), "def Handler(req):\n    return req.input\n");
        Images.write(fn.resolve("helpers/util.py"), "X = 1\n");
        Images.write(fn.resolve("helpers/__pycache__/util.cpython-311.pyc"), "bytecode");
        Images.write(fn.resolve("stale.pyc"), "bytecode");
        Path script = Images.write(fn.resolve("bin/run.sh"), "#!/bin/sh\n");
        script.toFile().setExecutable(true);

        push(FunctionImages.python(base, new PythonFunction(fn, "main.py")), "fn/python:1");
        PushedImage image = read("fn/python", "1");

        assertThat(image.layerCount()).isEqualTo(2);
        Map<String, Entry> layer = image.layer(1);
        assertThat(layer).containsOnlyKeys("/dcf", "/dcf/handler", "/dcf/handler/main.py", "/dcf/handler/helpers",
                "/dcf/handler/helpers/util.py", "/dcf/handler/bin", "/dcf/handler/bin/run.sh");
        assertThat(layer.get("/dcf/handler/bin/run.sh").mode()).isEqualTo(0755);
        assertThat(layer.get("/dcf/handler/main.py").mode()).isEqualTo(0644);
        assertThat(image.entrypoint()).containsExactly("python3", "/opt/dcf/watcher/dcf_watcher.py");
        assertThat(image.env()).containsEntry("DCF_HANDLER_PATH", "/dcf/handler")
                .containsEntry("DCF_HANDLER_FILE", "main.py")
                .containsEntry("DCF_FUNCTION_DIR", "/dcf/handler")
                .containsEntry("PYTHONDONTWRITEBYTECODE", "1");
        assertThat(image.user()).isEqualTo("10001:10001");
        assertThat(image.exposedPorts()).containsExactly("50051/tcp");
        assertThat(image.label("io.dcf.runtime")).isEqualTo("python");
    }

    @Test
    void java_noDependencies_noEmptyLayer() throws Exception {
        Path classes = Images.write(dir.resolve("java-alone/classes/Handler.class"), "x").getParent();

        push(FunctionImages.java(base, JavaFunction.of(classes)), "fn/java-alone:1");
        PushedImage image = read("fn/java-alone", "1");

        assertThat(image.layerCount()).isEqualTo(2);
        assertThat(image.env()).containsEntry("DCF_HANDLER_PATH", "/dcf/function/classes");
    }

    @Test
    void sameInput_sameDigest_changedClass_newDigest() throws Exception {
        Path classes = dir.resolve("repro/classes");
        Path handler = Images.write(classes.resolve("Handler.class"), "v1");
        Path dep = Images.jar(dir.resolve("repro/lib/dep.jar"), "d.txt", "d");
        JavaFunction function = new JavaFunction(classes, List.of(dep));

        JibContainer first = push(FunctionImages.java(base, function), "fn/repro:a");
        JibContainer second = push(FunctionImages.java(base, function), "fn/repro:b");
        Files.writeString(handler, "v2");
        JibContainer changed = push(FunctionImages.java(base, function), "fn/repro:c");

        assertThat(second.getDigest()).isEqualTo(first.getDigest());
        assertThat(changed.getDigest()).isNotEqualTo(first.getDigest());
        PushedImage a = read("fn/repro", "a");
        PushedImage c = read("fn/repro", "c");
        assertThat(c.manifest.path("layers").get(1)).isEqualTo(a.manifest.path("layers").get(1));
        assertThat(c.manifest.path("layers").get(2)).isNotEqualTo(a.manifest.path("layers").get(2));
    }

    private static JibContainer push(JibContainerBuilder image, String ref)
            throws Exception {
        return Images.push(image, registry.host(), ref, dir.resolve("cache"));
    }

    private static PushedImage read(String repository, String tag) throws Exception {
        return new PushedImage(registry.host(), repository, tag);
    }
}
