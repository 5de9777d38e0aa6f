package io.dcf.images;

import static java.util.Objects.requireNonNull;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The recipes of function images: a function's code laid with jib-core onto its runtime's
 * base image (docs/runtimes.md, "Function images"), with the watcher as the entrypoint
 * (docs/watcher-contract.md, "In a container"). Pure layering: nothing is read from a
 * registry or written anywhere until the caller containerizes the returned builder, e.g.
 * {@code FunctionImages.java(base, fn).containerize(Containerizer.to(RegistryImage.named(ref)))}.
 *
 * <p>The image sets only image-level facts: where the code is ({@code DCF_HANDLER_PATH},
 * {@code DCF_FUNCTION_DIR}, {@code DCF_HANDLER_FILE}), the user 10001, port 50051 and the
 * label {@code io.dcf.runtime}. The function-level settings (name, handler, timeout,
 * concurrency, host and port) come from the pod's environment.
 *
 * <p>Jib's application-layer cache recognises a source file by its path, modification time
 * and layer settings, not its content: lay out each build's code freshly (as an unpacked
 * upload is), or give each build its own cache directory.
 */
public final class FunctionImages {

    /** The port the watcher serves {@code dcf.v1.Watcher} and {@code grpc.health.v1} on. */
    public static final int WATCHER_PORT = 50051;
    /** The numeric non-root user (and group) function containers run as. */
    public static final String USER = "10001:10001";
    /** The label that names the image's runtime ({@code java}, {@code python}). */
    public static final String RUNTIME_LABEL = "io.dcf.runtime";

    /** Where the java runtime's base has its JRE (as eclipse-temurin images do) and the watcher. */
    public static final String JAVA = "/opt/java/openjdk/bin/java";
    public static final String JAVA_WATCHER = "/opt/dcf/watcher/dcf-watcher.jar";
    /** Where the python runtime's base has the Python watcher; {@code python3} is found on its PATH. */
    public static final String PYTHON_WATCHER = "/opt/dcf/watcher/dcf_watcher.py";

    static final AbsoluteUnixPath JAVA_FUNCTION_DIR = AbsoluteUnixPath.get("/dcf/function");
    static final AbsoluteUnixPath PYTHON_FUNCTION_DIR = AbsoluteUnixPath.get("/dcf/handler");
    /** Where {@link #pythonPackages} lays a function's pip-installed packages (on {@code PYTHONPATH}). */
    public static final String PYTHON_PACKAGES = "/dcf/packages";
    static final List<String> JAVA_ENTRYPOINT = List.of(JAVA, "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError", "-jar", JAVA_WATCHER);
    static final List<String> PYTHON_ENTRYPOINT = List.of("python3", PYTHON_WATCHER);

    private FunctionImages() {
    }

    /**
     * A Java function on {@code baseImage}, a reference Jib reads: {@code registry/name:tag}
     * (or {@code registry://...}), or {@code tar:///path/base.tar} (a docker-save tarball such as
     * {@code runtimes/base/make-jre-base.sh --watcher-jar ...} writes). The base must hold a JRE at
     * {@value #JAVA} and the watcher at {@value #JAVA_WATCHER}.
     */
    public static JibContainerBuilder java(String baseImage, JavaFunction function) {
        return java(from(baseImage), function);
    }

    /**
     * A Java function on a base given as a builder (e.g. {@code Jib.from(RegistryImage.named(ref)
     * .addCredential(user, password))}). Layers: the dependency jars in
     * {@code /dcf/function/lib/} (no layer when there are none), then the classes in {@code /dcf/function/classes/} (or the
     * classes jar in {@code /dcf/function/}). {@code DCF_HANDLER_PATH} lists the classes first,
     * then each jar in order.
     */
    public static JibContainerBuilder java(JibContainerBuilder base, JavaFunction function) {
        requireNonNull(base, "base");
        requireNonNull(function, "function");
        AbsoluteUnixPath lib = JAVA_FUNCTION_DIR.resolve("lib");
        List<String> handlerPath = new ArrayList<>();
        base.addFileEntriesLayer(Layers.files("dependencies", function.dependencies(), lib));
        AbsoluteUnixPath classes;
        if (Files.isDirectory(function.classes())) {
            classes = JAVA_FUNCTION_DIR.resolve("classes");
            base.addFileEntriesLayer(Layers.tree("classes", function.classes(), classes, path -> false));
        } else {
            classes = JAVA_FUNCTION_DIR.resolve(function.classes().getFileName().toString());
            base.addFileEntriesLayer(Layers.files("classes", List.of(function.classes()), JAVA_FUNCTION_DIR));
        }
        handlerPath.add(classes.toString());
        for (Path jar : function.dependencies()) {
            handlerPath.add(lib.resolve(jar.getFileName().toString()).toString());
        }
        return common(base, "java", JAVA_FUNCTION_DIR)
                .setEntrypoint(JAVA_ENTRYPOINT)
                .addEnvironmentVariable("DCF_HANDLER_PATH", String.join(":", handlerPath));
    }

    /**
     * A Python function on {@code baseImage} (a reference as for {@link #java(String, JavaFunction)};
     * e.g. {@code tar://...} from {@code runtimes/base/make-python-base.sh}). The base must hold
     * {@code python3} on its PATH with grpcio and protobuf, and the watcher at {@value #PYTHON_WATCHER}.
     */
    public static JibContainerBuilder python(String baseImage, PythonFunction function) {
        return python(from(baseImage), function);
    }

    /** A Python function on a base given as a builder. One layer: the function's directory in {@code /dcf/handler/}. */
    public static JibContainerBuilder python(JibContainerBuilder base, PythonFunction function) {
        requireNonNull(base, "base");
        requireNonNull(function, "function");
        base.addFileEntriesLayer(Layers.tree("function", function.directory(), PYTHON_FUNCTION_DIR, bytecode()));
        return common(base, "python", PYTHON_FUNCTION_DIR)
                .setEntrypoint(PYTHON_ENTRYPOINT)
                .addEnvironmentVariable("DCF_HANDLER_PATH", PYTHON_FUNCTION_DIR.toString())
                .addEnvironmentVariable("DCF_HANDLER_FILE", function.handlerFile())
                .addEnvironmentVariable("PYTHONDONTWRITEBYTECODE", "1")
                .addEnvironmentVariable("PYTHONUNBUFFERED", "1");
    }

    /**
     * A Python function's installed requirements ({@code pip install --target packages}) as a layer
     * of their own at {@value #PYTHON_PACKAGES}, put on {@code PYTHONPATH}. Call it before
     * {@link #python(JibContainerBuilder, PythonFunction)}: the packages change less often than the
     * code, so their layer lies below the function's. Byte code ({@code __pycache__}, {@code .pyc}) is left out.
     */
    public static JibContainerBuilder pythonPackages(JibContainerBuilder base, Path packages) {
        requireNonNull(base, "base");
        requireNonNull(packages, "packages");
        if (!Files.isDirectory(packages)) {
            throw new IllegalArgumentException("packages: " + packages + " (expected: a pip --target directory)");
        }
        return base.addFileEntriesLayer(Layers.tree("packages", packages, AbsoluteUnixPath.get(PYTHON_PACKAGES),
                        bytecode()))
                .addEnvironmentVariable("PYTHONPATH", PYTHON_PACKAGES);
    }

    private static JibContainerBuilder common(JibContainerBuilder image, String runtime, AbsoluteUnixPath home) {
        return image.setProgramArguments(List.of())
                .addEnvironmentVariable("DCF_FUNCTION_DIR", home.toString())
                .setWorkingDirectory(home)
                .setUser(USER)
                .addExposedPort(Port.tcp(WATCHER_PORT))
                .addLabel(RUNTIME_LABEL, runtime);
    }

    private static Predicate<Path> bytecode() {
        return path -> {
            for (Path part : path) {
                if (part.toString().equals("__pycache__")) {
                    return true;
                }
            }
            return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pyc");
        };
    }

    private static JibContainerBuilder from(String baseImage) {
        requireNonNull(baseImage, "baseImage");
        try {
            return Jib.from(baseImage);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("baseImage: '" + baseImage
                    + "' (expected: registry/name:tag, registry://..., or tar:///path/image.tar)", e);
        }
    }
}
