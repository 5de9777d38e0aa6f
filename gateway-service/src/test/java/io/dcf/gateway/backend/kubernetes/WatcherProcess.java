package io.dcf.gateway.backend.kubernetes;

import static org.awaitility.Awaitility.await;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A real watcher-java process serving the hello-java example on an ephemeral loopback
 * port: what a function's pod runs, with the environment the watcher contract gives it.
 */
final class WatcherProcess implements AutoCloseable {

    static final Path WATCHER_JAR = Path.of(System.getProperty("dcf.test.watcher-jar",
            "../watcher-java/target/dcf-watcher.jar")).toAbsolutePath().normalize();
    static final Path EXAMPLES = Path.of(System.getProperty("dcf.test.examples-dir", "../examples"))
            .toAbsolutePath().normalize();

    private final Process process;
    private final int port;

    private WatcherProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Compiles examples/hello-java into {@code dir} and starts a watcher serving it as {@code function}. */
    static WatcherProcess helloJava(String function, Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                EXAMPLES.resolve("hello-java/Handler.java").toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed on hello-java: " + rc);
        }
        Path portFile = dir.resolve("port");
        FunctionSpec spec = FunctionSpec.newBuilder().setName(function).setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("Handler")).build();
        Map<String, String> env = WatcherContract.of(spec, Duration.ofSeconds(30))
                .listen("127.0.0.1", 0).portFile(portFile.toString()).exitWithParent(true)
                .code(classes.toString(), classes.toString(), false)
                .environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-jar", WATCHER_JAR.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("watcher.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile) && Files.size(portFile) > 0);
        return new WatcherProcess(process, Integer.parseInt(Files.readString(portFile).strip()));
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
