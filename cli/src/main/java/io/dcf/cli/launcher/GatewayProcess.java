package io.dcf.cli.launcher;

import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayAddress;
import io.dcf.cli.GatewayClient;
import io.dcf.proto.v1.HealthRequest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The gateway as a child process, launched exactly as {@code dcf up} does:
 * {@code java [start-up archive options] -jar gateway-service/target/dcf-gateway.jar --dcf.gateway.port=... --dcf.gateway.home=...
 * --dcf.gateway.local.watcher-jar=... --dcf.gateway.local.runtimes-dir=... --logging.file.name=...};
 * the gateway writes {@code <home>/logs/gateway.log} and rotates it by size.
 */
public final class GatewayProcess {

    private final Process process;
    private final Path home;
    private final Path log;
    private final int requestedPort;

    private GatewayProcess(Process process, Path home, Path log, int requestedPort) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.requestedPort = requestedPort;
    }

    /** The gateway jar: {@code gateway/} in a distribution, else the source tree's build output. */
    public static Path gatewayJar(Path repo) {
        return firstExisting(repo.resolve("gateway/dcf-gateway.jar"),
                repo.resolve("gateway-service/target/dcf-gateway.jar"));
    }

    /** The Java watcher: {@code watcher/} in a distribution, else the source tree's build output. */
    public static Path watcherJar(Path repo) {
        return firstExisting(repo.resolve("watcher/dcf-watcher.jar"),
                repo.resolve("watcher-java/target/dcf-watcher.jar"));
    }

    private static Path firstExisting(Path distribution, Path sourceTree) {
        return Files.isRegularFile(distribution) ? distribution : sourceTree;
    }

    /** Starts the gateway; {@code port} 0 picks a free port (read back from gateway.pid). */
    public static GatewayProcess start(Path repo, Path home, int port, boolean newSession) throws IOException {
        return start(repo, home, port, newSession, List.of());
    }

    /** Like {@link #start(Path, Path, int, boolean)}, with more gateway settings ({@code --dcf.gateway.x=y}). */
    public static GatewayProcess start(Path repo, Path home, int port, boolean newSession, List<String> settings)
            throws IOException {
        return start(repo, home, port, newSession, List.of(), settings);
    }

    /** Like {@link #start(Path, Path, int, boolean, List)}, with options for the gateway's JVM (before -jar). */
    public static GatewayProcess start(Path repo, Path home, int port, boolean newSession, List<String> jvmOptions,
                                       List<String> settings) throws IOException {
        for (Path jar : List.of(gatewayJar(repo), watcherJar(repo))) {
            if (!Files.isRegularFile(jar)) {
                throw CliException.usage(jar + " is missing; build DCF with ./mvnw -DskipTests install "
                        + "(./dcf does it on its first run)");
            }
        }
        Path log = home.resolve("logs").resolve("gateway.log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        if (newSession && new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(java().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", gatewayJar(repo).toString(),
                "--dcf.gateway.port=" + port,
                "--dcf.gateway.home=" + home,
                "--dcf.gateway.local.watcher-jar=" + watcherJar(repo),
                "--dcf.gateway.local.runtimes-dir=" + repo.resolve("runtimes"),
                // The gateway writes and rotates gateway.log itself; only what the JVM prints
                // before logging starts reaches the redirected output below.
                "--logging.file.name=" + log,
                "--logging.threshold.console=OFF"));
        command.addAll(settings);
        Process process = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new GatewayProcess(process, home, log, port);
    }

    /** The JVM that runs the gateway: the one running this CLI. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Appends a line of the launcher's own to gateway.log (the file the gateway's output goes to). */
    void note(String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the same line went to the caller's stderr
        }
    }

    /** True when a gateway answers {@code Health} on 127.0.0.1:port within {@code deadline}. */
    public static boolean answers(int port, Duration deadline) {
        try (GatewayClient client = GatewayClient.connect(new GatewayAddress("127.0.0.1", port, "probe"))) {
            client.call(null, deadline, stub -> stub.health(HealthRequest.getDefaultInstance()));
            return true;
        } catch (CliException e) {
            return false;
        }
    }

    /**
     * Waits until the gateway answers {@code Health}; returns its port. If the process
     * exits first, fails with exit code 2 and the last 20 lines of its log.
     */
    public int awaitServing(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new CliException(ExitCode.GATEWAY, "the DCF gateway exited with status " + process.exitValue()
                        + "; last lines of " + log + ":\n" + String.join("\n", tail(20)));
            }
            int port = requestedPort != 0 ? requestedPort
                    : PidFile.read(home).filter(p -> p.pid() == process.pid()).map(PidFile::port).orElse(0);
            if (port != 0 && answers(port, Duration.ofSeconds(2))) {
                return port;
            }
            waitForExit(Duration.ofMillis(250));
        }
        stop(Duration.ofSeconds(10));
        throw new CliException(ExitCode.GATEWAY, "the DCF gateway did not answer within " + limit.toSeconds()
                + " s; see " + log);
    }

    /** SIGTERM, up to {@code grace} to exit, then SIGKILL; leftover descendants are killed too. */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (!waitForExit(StartupArchive.stopGrace(process.toHandle(), grace))) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(5));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Waits for the process to exit; true when it has. */
    public boolean waitForExit(Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    /** The last {@code n} lines of gateway.log. */
    public List<String> tail(int n) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }
}
