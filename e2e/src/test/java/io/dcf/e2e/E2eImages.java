package io.dcf.e2e;

import static java.util.Objects.requireNonNull;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import io.dcf.images.FunctionImages;
import io.dcf.images.JavaFunction;
import io.dcf.images.PythonFunction;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The images the e2e tests run, each made once per JVM with the project's own recipes and
 * pushed to the cluster's registry: the base images from runtimes/base (this machine's JRE and
 * Python, no public registry), and the Java and Python echo functions laid on them by
 * {@link FunctionImages}. Images are returned as digest references ({@code ...@sha256:...}),
 * so a node never runs a stale tag.
 */
final class E2eImages {

    private static final System.Logger LOG = System.getLogger(E2eImages.class.getName());
    private static final Path WORK = Path.of(System.getProperty("dcf.e2e.work-dir", "target/e2e"));
    private static final Path SCRIPTS = Path.of(System.getProperty("dcf.e2e.base-scripts", "../runtimes/base"));
    private static final Path WATCHER_JAR = Path.of(System.getProperty("dcf.e2e.watcher-jar",
            "../watcher-java/target/dcf-watcher.jar"));
    private static final Path EXAMPLES = Path.of(System.getProperty("dcf.e2e.examples-dir", "../examples"));
    private static final Path RUNTIMES = Path.of(System.getProperty("dcf.e2e.runtimes-dir", "../runtimes"));

    private static final Path ROOT = Path.of(System.getProperty("dcf.e2e.project-root", ".."));

    /** The tag {@link #gateway()} and {@link #registryProxy()} push (a chart takes a repository and a tag). */
    static final String GATEWAY_TAG = "e2e";

    private static Path jreBase;
    private static String gateway;
    private static String registryProxy;
    private static Path javaBase;
    private static Path pythonBase;
    private static String javaEcho;
    private static String pythonEcho;

    private E2eImages() {
    }

    /** examples/hello-java (answers with its input and content type), handler class {@code Handler}. */
    static synchronized String javaEcho() throws Exception {
        if (javaEcho == null) {
            Path classes = compileHelloJava();
            javaEcho = push(FunctionImages.java("tar://" + javaBase(), JavaFunction.of(classes)), "java-echo");
        }
        return javaEcho;
    }

    /** The python template's handler.py (answers with its input), handler {@code Handler}. */
    static synchronized String pythonEcho() throws Exception {
        if (pythonEcho == null) {
            Path dir = Files.createDirectories(WORK.resolve("python-echo"));
            Files.copy(RUNTIMES.resolve("python/template/handler.py"), dir.resolve("handler.py"),
                    StandardCopyOption.REPLACE_EXISTING);
            pythonEcho = push(FunctionImages.python("tar://" + pythonBase(), PythonFunction.of(dir)), "python-echo");
        }
        return pythonEcho;
    }

    /**
     * The gateway's image as users build it: {@code ./mvnw -Pimages -pl gateway-service -am} with
     * {@code -Dimage.base=tar://<jreBase()>}, pushed as {@code 127.0.0.1:5000/dcf/gateway-service};
     * the digest comes from Jib's {@code target/jib-image.digest}.
     */
    static synchronized String gateway() throws Exception {
        if (gateway == null) {
            gateway = serviceImage("gateway-service");
        }
        return gateway;
    }

    /** registry-proxy's image, made like {@link #gateway()}: {@code 127.0.0.1:5000/dcf/registry-proxy}. */
    static synchronized String registryProxy() throws Exception {
        if (registryProxy == null) {
            registryProxy = serviceImage("registry-proxy");
        }
        return registryProxy;
    }

    private static String serviceImage(String module) throws Exception {
        Path base = jreBase();
        Path digest = ROOT.resolve(module + "/target/jib-image.digest");
        Files.deleteIfExists(digest);
        run(List.of(ROOT.resolve("mvnw").toString(), "-B", "-q", "-f", ROOT.resolve("pom.xml").toString(),
                "-Pimages", "-pl", module, "-am", "-DskipTests", "-Dimage.registry=" + Cluster.REGISTRY,
                "-Dimage.insecure=true", "-Dimage.tag=" + GATEWAY_TAG, "-Dimage.base=tar://" + base,
                // -am builds build-service for gateway-service's tests; its image (a JDK base) is not wanted here
                "-Dbuild-service.image.skip=" + !module.equals("build-service"), "package"),
                WORK.resolve(module + "-image.log"), 20);
        String image = Cluster.REGISTRY + "/dcf/" + module + "@" + Files.readString(digest).strip();
        LOG.log(Level.INFO, "{0} image {1}", module, image);
        return image;
    }

    /** A JRE base without the watcher (the gateway's: {@code -Dimage.base=tar://<this>}). */
    static synchronized Path jreBase() throws Exception {
        if (jreBase == null) {
            jreBase = script("make-jre-base.sh", WORK.resolve("jre-base.tar"), List.of());
        }
        return jreBase;
    }

    /** The java runtime's base: JRE plus watcher-java. */
    static synchronized Path javaBase() throws Exception {
        if (javaBase == null) {
            if (!Files.isRegularFile(WATCHER_JAR)) {
                throw new IllegalStateException(WATCHER_JAR + " is missing: ./mvnw -pl watcher-java -am package -DskipTests");
            }
            javaBase = script("make-jre-base.sh", WORK.resolve("java-base.tar"),
                    List.of("--watcher-jar", WATCHER_JAR.toString()));
        }
        return javaBase;
    }

    /** The python runtime's base: Python, grpcio, protobuf and the Python watcher. */
    static synchronized Path pythonBase() throws Exception {
        if (pythonBase == null) {
            pythonBase = script("make-python-base.sh", WORK.resolve("python-base.tar"), List.of());
        }
        return pythonBase;
    }

    /** Pushes {@code image} as {@code 127.0.0.1:5000/dcf-e2e/<name>} and returns its digest reference. */
    static String push(JibContainerBuilder image, String name) throws Exception {
        requireNonNull(image, "image");
        String repository = Cluster.REGISTRY + "/dcf-e2e/" + name;
        long start = System.nanoTime();
        JibContainer pushed = image.containerize(Containerizer.to(RegistryImage.named(repository + ":e2e"))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(WORK.resolve("jib-cache/base"))
                .setApplicationLayersCache(WORK.resolve("jib-cache/app"))
                .setToolName("dcf-e2e"));
        String reference = repository + "@" + pushed.getDigest();
        LOG.log(Level.INFO, "pushed {0} in {1} ms", reference, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return reference;
    }

    private static Path compileHelloJava() throws IOException {
        Path source = EXAMPLES.resolve("hello-java/Handler.java");
        Path classes = WORK.resolve("hello-java/classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String sdk = Path.of(io.dcf.sdk.Handler.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).toString();
        int exit = javac.run(null, null, null, "--release", "17", "-cp", sdk, "-d", classes.toString(),
                source.toString());
        if (exit != 0) {
            throw new IllegalStateException("javac " + source + " failed (exit " + exit + ")");
        }
        return classes;
    }

    private static Path script(String name, Path out, List<String> options) throws Exception {
        Files.createDirectories(out.getParent());
        List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
        command.addAll(options);
        command.add(out.toString());
        run(command, out.resolveSibling(out.getFileName() + ".log"), 10);
        LOG.log(Level.INFO, "{0} made {1} ({2} bytes)", name, out, Files.size(out));
        return out;
    }

    /** Runs {@code command} with its output in {@code log}; fails with the output unless it exits 0 in time. */
    private static void run(List<String> command, Path log, int minutes) throws Exception {
        Files.createDirectories(log.getParent());
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(command + " did not end within " + minutes + " minutes; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " exited " + process.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        LOG.log(Level.INFO, "{0} took {1} ms", command.get(1).endsWith(".sh") ? command.get(1) : command.get(0),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
}
