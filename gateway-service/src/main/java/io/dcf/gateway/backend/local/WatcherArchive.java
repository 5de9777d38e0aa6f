package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Java replicas may use watcher-java's AppCDS archive ({@code dcf-watcher.jsa}, made by
 * its build beside the jar; docs/runtimes.md): only when it exists, is not older than the jar
 * and was made by the JVM replicas run. Otherwise the replicas start without it and the gateway
 * says why, once, here. The JVM keeps its own check too ({@code -Xshare:auto}: an archive it cannot
 * use is ignored, with a {@code [cds]} warning in the replica's log).
 */
public final class WatcherArchive {

    private static final Logger log = LoggerFactory.getLogger(WatcherArchive.class);
    /** The file name the watcher's build gives the archive, beside {@code dcf-watcher.jar}. */
    public static final String FILE_NAME = "dcf-watcher.jsa";
    /** The archive's header holds the JVM's identity in its first bytes. */
    private static final int HEADER_BYTES = 4096;

    private WatcherArchive() {
    }

    /**
     * The JVM options that make a Java replica use {@code archive}, or none (with a log line saying
     * why) when it is missing, older than {@code watcherJar} or made by another JVM than {@code java}.
     */
    public static Optional<String> jvmOption(Path archive, Path watcherJar, Path java) {
        requireNonNull(archive, "archive");
        Optional<String> problem = problem(archive, watcherJar, java);
        if (problem.isPresent()) {
            if (Files.exists(archive)) {
                log.warn("Java replicas start without the CDS archive {}: {}", archive, problem.get());
            } else {
                log.info("Java replicas start without a CDS archive: {}", problem.get());
            }
            return Optional.empty();
        }
        log.info("Java replicas use the CDS archive {}", archive);
        return Optional.of("-XX:SharedArchiveFile=" + archive);
    }

    /** Why {@code archive} cannot serve replicas of {@code watcherJar} run by {@code java}; empty when it can. */
    static Optional<String> problem(Path archive, Path watcherJar, Path java) {
        requireNonNull(watcherJar, "watcherJar");
        requireNonNull(java, "java");
        try {
            if (!Files.isRegularFile(archive)) {
                return Optional.of(archive + " does not exist (./mvnw -pl watcher-java package makes it)");
            }
            if (Files.exists(watcherJar)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(watcherJar)) < 0) {
                return Optional.of("it is older than " + watcherJar + " (stale: rebuild with ./mvnw -pl watcher-java"
                        + " package)");
            }
            Optional<String> runtime = runtimeVersion(java);
            if (runtime.isPresent() && !header(archive).contains("(" + runtime.get() + ")")) {
                return Optional.of("it was made by another JVM than " + java + " (" + runtime.get() + ")");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read it: " + e.getMessage());
        }
    }

    /** The JAVA_RUNTIME_VERSION of the JDK {@code java} belongs to, from its {@code release} file; empty if unknown. */
    static Optional<String> runtimeVersion(Path java) {
        try {
            Path home = java.toRealPath().getParent().getParent();
            Properties release = new Properties();
            try (InputStream in = Files.newInputStream(home.resolve("release"))) {
                release.load(in);
            }
            return Optional.ofNullable(release.getProperty("JAVA_RUNTIME_VERSION"))
                    .map(v -> v.replace("\"", "").strip()).filter(v -> !v.isEmpty());
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a java that is not in a JDK's bin/: the JVM's own check decides
        }
    }

    private static String header(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return new String(in.readNBytes(HEADER_BYTES), StandardCharsets.ISO_8859_1);
        }
    }
}
