package io.dcf.images;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The base images runtimes/base makes from this machine's files (no registry, no daemon):
 * their layers as a registry serves them under a function image, and proof that what they
 * hold is enough: the Java watcher starts on the jlink'ed JRE and the Python watcher imports
 * grpc, each inside a root that holds only the image's files.
 */
class BaseImagesIT {

    private static final Path SCRIPTS = Path.of(System.getProperty("dcf.test.base-scripts", "../runtimes/base"));
    private static final Path WATCHER_JAR = Path.of(System.getProperty("dcf.test.watcher-jar",
            "../watcher-java/target/dcf-watcher.jar"));

    @TempDir
    static Path dir;
    private static LocalRegistry registry;
    private static Path javaBase;
    private static Path pythonBase;

    @BeforeAll
    static void makeBases() throws Exception {
        assertThat(WATCHER_JAR).as("build watcher-java first: ./mvnw -pl watcher-java -am package -DskipTests")
                .isRegularFile();
        javaBase = dir.resolve("java-base.tar");
        pythonBase = dir.resolve("python-base.tar");
        BaseRoot.runScript(SCRIPTS.resolve("make-jre-base.sh"),
                List.of("--watcher-jar", WATCHER_JAR.toString(), javaBase.toString()), dir.resolve("jre.log"));
        BaseRoot.runScript(SCRIPTS.resolve("make-python-base.sh"), List.of(pythonBase.toString()),
                dir.resolve("python.log"));
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void javaBase_systemJreWatcherLayers_underTheFunctionsTwo() throws Exception {
        Path classes = Images.write(dir.resolve("java-fn/classes/Handler.class"), "x").getParent();
        Path dep = Images.jar(dir.resolve("java-fn/lib/dep.jar"), "d.txt", "d");
        Images.push(FunctionImages.java("tar://" + javaBase, new JavaFunction(classes, List.of(dep))), registry.host(),
                "fn/java:1", dir.resolve("cache"));
        PushedImage image = new PushedImage(registry.host(), "fn/java", "1");

        assertThat(image.layerCount()).isEqualTo(5);
        Map<String, Entry> system = image.layer(0);
        assertThat(system).containsKeys("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6",
                "/lib/x86_64-linux-gnu/libz.so.1", "/etc/passwd");
        assertThat(system.get("/tmp").mode()).isEqualTo(01777);
        assertThat(image.layer(1).get("/opt/java/openjdk/bin/java")).extracting(Entry::mode, Entry::uid)
                .containsExactly(0755, 0L);
        assertThat(image.layer(2)).containsKey("/opt/dcf/watcher/dcf-watcher.jar");
        assertThat(image.env()).containsEntry("JAVA_HOME", "/opt/java/openjdk")
                .containsEntry("PATH", "/opt/java/openjdk/bin:/usr/bin:/bin")
                .containsEntry("DCF_HANDLER_PATH", "/dcf/function/classes:/dcf/function/lib/dep.jar");
        assertThat(image.user()).isEqualTo("10001:10001");
        log("java", image);
    }

    @Test
    void pythonBase_systemPythonWatcherLayers_underTheFunctions() throws Exception {
        Path fn = Images.write(dir.resolve("py-fn/handler.py"), "def Handler(req):\n    return req.input\n")
                .getParent();
        Images.push(FunctionImages.python("tar://" + pythonBase, PythonFunction.of(fn)), registry.host(),
                "fn/python:1", dir.resolve("cache"));
        PushedImage image = new PushedImage(registry.host(), "fn/python", "1");

        assertThat(image.layerCount()).isEqualTo(4);
        assertThat(image.layer(0)).containsKeys("/lib64/ld-linux-x86-64.so.2", "/etc/passwd", "/tmp");
        Map<String, Entry> python = image.layer(1);
        assertThat(python).containsKeys("/usr/bin/python3", "/usr/lib/python3/dist-packages/grpc/__init__.py",
                "/usr/lib/python3/dist-packages/google/protobuf/__init__.py")
                .doesNotContainKeys("/usr/lib/python3.11/test", "/usr/lib/python3.11/idlelib")
                .noneSatisfy((path, entry) -> assertThat(path).contains("__pycache__"));
        assertThat(image.layer(2)).containsKey("/opt/dcf/watcher/dcf_watcher.py");
        assertThat(image.env()).containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin")
                .containsEntry("DCF_HANDLER_FILE", "handler.py");
        log("python", image);
    }

    @Test
    void javaBase_watcherRunsOnTheJlinkedJre_withOnlyTheImagesFiles() throws Exception {
        BaseRoot root = BaseRoot.unpack(javaBase, dir.resolve("java-root"));
        BaseRoot.Result result = root.run(FunctionImages.JAVA_ENTRYPOINT,
                Map.of("DCF_HANDLER_PATH", "/tmp", "DCF_HANDLER", "NoSuchHandler", "DCF_WATCHER_PORT", "0",
                        "DCF_WATCHER_HOST", "127.0.0.1"),
                dir.resolve("java-run.log"));

        // Exit 3 is the contract's "handler cannot be loaded": the JVM, the watcher and gRPC all started.
        assertThat(result.exit()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).contains("NoSuchHandler").doesNotContain("NoClassDefFoundError",
                "UnsatisfiedLinkError");
    }

    @Test
    void pythonBase_watcherImportsGrpc_withOnlyTheImagesFiles() throws Exception {
        BaseRoot root = BaseRoot.unpack(pythonBase, dir.resolve("python-root"));
        BaseRoot.Result result = root.run(List.of("/usr/bin/python3", FunctionImages.PYTHON_WATCHER),
                Map.of("PATH", "/usr/bin:/bin", "DCF_HANDLER_PATH", "/tmp", "DCF_HANDLER_FILE", "missing.py",
                        "DCF_WATCHER_PORT", "0", "DCF_WATCHER_HOST", "127.0.0.1"),
                dir.resolve("python-run.log"));

        assertThat(result.exit()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).contains("missing.py").doesNotContain("ModuleNotFoundError", "ImportError");
    }

    private static void log(String runtime, PushedImage image) {
        long base = 0;
        for (int i = 0; i < 3; i++) { // every base has three layers: system, runtime, watcher
            base += image.manifest.path("layers").get(i).path("size").asLong();
        }
        System.getLogger(BaseImagesIT.class.getName()).log(System.Logger.Level.INFO,
                "{0} base: {1} bytes compressed; with the function ({2} layers): {3} bytes", runtime, base,
                image.layerCount(), image.compressedSize());
    }
}
