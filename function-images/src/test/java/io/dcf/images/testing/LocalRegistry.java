package io.dcf.images.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real registry for tests: Debian's {@code docker-registry} (distribution 2.8) with its own
 * configuration under a temporary directory (no auth, plain HTTP) on an ephemeral port of
 * 127.0.0.1. Never the packaged configuration, never port 5000.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile int port;

    private LocalRegistry(Path dir, List<String> moreConfig) throws IOException {
        Path config = dir.resolve("config.yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: info",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("data"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:0",
                "") + String.join("\n", moreConfig) + "\n");
        process = new ProcessBuilder(executable(), "serve", config.toString())
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(this::readLog, "docker-registry-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a registry keeping its data under {@code dir} and waits until it listens. */
    public static LocalRegistry start(Path dir) throws IOException {
        return start(dir, List.of());
    }

    /**
     * Like {@link #start(Path)} with more top-level configuration lines, e.g. an {@code auth:}
     * section (htpasswd, or token with a test's own realm).
     */
    public static LocalRegistry start(Path dir, List<String> moreConfig) throws IOException {
        LocalRegistry registry = new LocalRegistry(dir, List.copyOf(moreConfig));
        try {
            await("docker-registry listening").atMost(Duration.ofSeconds(60))
                    .until(() -> registry.port > 0 || !registry.process.isAlive());
            if (registry.port == 0) {
                throw new IllegalStateException("docker-registry exited: " + registry.log);
            }
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    private void readLog() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
        } catch (IOException e) {
            log.add("log read failed: " + e.getMessage());
        }
    }

    private static String executable() {
        for (String candidate : List.of("/usr/bin/docker-registry", "/usr/local/bin/docker-registry")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("docker-registry is not installed: apt-get install docker-registry"
                + " (the tests start it on an ephemeral port with their own configuration)");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
