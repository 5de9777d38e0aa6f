package io.dcf.runtimes;

import static java.util.Objects.requireNonNull;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real Python watcher as a child process on an ephemeral port, and a grpc-java
 * channel to it. {@link #close()} shuts the channel and kills the process.
 */
final class WatcherProcess implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(30);
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private final Process process;
    private final Path portFile;
    private final Path stderr;
    private ManagedChannel channel;

    private WatcherProcess(Process process, Path portFile, Path stderr) {
        this.process = process;
        this.portFile = portFile;
        this.stderr = stderr;
    }

    /** Starts the watcher for the handler directory {@code dir}, with extra DCF_* settings. */
    static WatcherProcess start(Path dir, Map<String, String> env) throws IOException {
        return start(PythonRuntime.python(), dir, env);
    }

    static WatcherProcess start(Path python, Path dir, Map<String, String> env) throws IOException {
        requireNonNull(dir, "dir");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path portFile = logs.resolve("port");
        Map<String, String> settings = new HashMap<>();
        settings.put("DCF_FUNCTION_NAME", "test-fn");
        settings.put("DCF_HANDLER_PATH", dir.toString());
        settings.put("DCF_WATCHER_HOST", "127.0.0.1");
        settings.put("DCF_WATCHER_PORT", "0");
        settings.put("DCF_WATCHER_PORT_FILE", portFile.toString());
        settings.put("PYTHONDONTWRITEBYTECODE", "1");
        settings.putAll(env);
        ProcessBuilder builder = new ProcessBuilder(python.toString(), PythonRuntime.watcherScript().toString())
                .directory(dir.toFile())
                .redirectOutput(logs.resolve("stdout.log").toFile())
                .redirectError(logs.resolve("stderr.log").toFile());
        builder.environment().putAll(settings);
        return new WatcherProcess(builder.start(), portFile, logs.resolve("stderr.log"));
    }

    /** The bound port, once the watcher has written its port file. */
    int port() {
        await("port file " + portFile).atMost(STARTUP)
                .until(() -> Files.exists(portFile) || !process.isAlive());
        if (!Files.exists(portFile)) {
            throw new AssertionError("the watcher exited with " + process.exitValue() + " before listening:\n" + stderr());
        }
        try {
            return Integer.parseInt(Files.readString(portFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port(), InsecureChannelCredentials.create())
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .build();
        }
        return channel;
    }

    /** A blocking stub whose deadline starts now. */
    WatcherGrpc.WatcherBlockingStub watcher() {
        return WatcherGrpc.newBlockingStub(channel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** An async stub (for Calls streams) whose deadline starts now. */
    WatcherGrpc.WatcherStub watcherAsync() {
        return WatcherGrpc.newStub(channel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    WatcherGrpc.WatcherFutureStub watcherFuture() {
        return WatcherGrpc.newFutureStub(channel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build())
                .getStatus();
    }

    HealthGrpc.HealthStub healthAsync() {
        return HealthGrpc.newStub(channel()).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** Waits until health reports SERVING. */
    WatcherProcess awaitServing() {
        await("SERVING").atMost(STARTUP).ignoreExceptions()
                .until(() -> health("") == ServingStatus.SERVING);
        return this;
    }

    Process process() {
        return process;
    }

    /** Waits for the process to exit and returns its status. */
    int awaitExit() throws InterruptedException {
        try {
            return process.onExit().get(STARTUP.toSeconds(), TimeUnit.SECONDS).exitValue();
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the watcher did not exit:\n" + stderr(), e);
        }
    }

    String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
