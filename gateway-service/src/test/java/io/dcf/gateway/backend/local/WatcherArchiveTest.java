package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files: a jar, archives whose header names a JVM as the JDK writes it, and this test's own JDK. */
class WatcherArchiveTest {

    /** The JVM running this test, as a replica would be run by a gateway on it. */
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String THIS_JVM = System.getProperty("java.runtime.version");

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void setUp() throws IOException {
        jar = Files.writeString(dir.resolve("dcf-watcher.jar"), "a jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-11-30T20:00:00Z")));
    }

    @Test
    void runtimeVersion_readsTheJdksReleaseFile() {
        assertThat(WatcherArchive.runtimeVersion(JAVA)).contains(THIS_JVM);
    }

    @Test
    void archiveOfThisJvm_newerThanTheJar_isUsed() throws IOException {
        Path archive = archive("OpenJDK 64-Bit Server VM (" + THIS_JVM + ") for linux-amd64 JRE (" + THIS_JVM + ")",
                "2026-11-30T20:00:05Z");

        assertThat(WatcherArchive.problem(archive, jar, JAVA)).isEmpty();
        assertThat(WatcherArchive.jvmOption(archive, jar, JAVA)).contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void archiveOlderThanTheJar_isStale_andNotUsed() throws IOException {
        Path archive = archive("OpenJDK 64-Bit Server VM (" + THIS_JVM + ")", "2026-11-30T19:59:00Z");

        assertThat(WatcherArchive.problem(archive, jar, JAVA)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("older than " + jar, "stale", "./mvnw -pl watcher-java package"));
        assertThat(WatcherArchive.jvmOption(archive, jar, JAVA)).isEmpty();
    }

    @Test
    void archiveOfAnotherJvm_isNotUsed() throws IOException {
        Path archive = archive("OpenJDK 64-Bit Server VM (25.0.3+9-LTS) for linux-amd64 JRE (25.0.3+9-LTS)",
                "2026-11-30T20:00:05Z");

        assertThat(WatcherArchive.problem(archive, jar, JAVA)).hasValueSatisfying(problem -> assertThat(problem)
                .contains("made by another JVM than " + JAVA, THIS_JVM));
        assertThat(WatcherArchive.jvmOption(archive, jar, JAVA)).isEmpty();
    }

    @Test
    void missingArchive_isNotUsed() {
        Path archive = dir.resolve("dcf-watcher.jsa");

        assertThat(WatcherArchive.problem(archive, jar, JAVA)).hasValueSatisfying(problem -> assertThat(problem)
                .contains(archive + " does not exist"));
        assertThat(WatcherArchive.jvmOption(archive, jar, JAVA)).isEmpty();
    }

    @Test
    void javaOutsideAJdk_leavesTheDecisionToTheJvm() throws IOException {
        Path archive = archive("OpenJDK 64-Bit Server VM (" + THIS_JVM + ")", "2026-11-30T20:00:05Z");
        Path loneJava = Files.writeString(dir.resolve("java"), "#!/bin/sh\n");

        assertThat(WatcherArchive.runtimeVersion(loneJava)).isEmpty();
        assertThat(WatcherArchive.problem(archive, jar, loneJava)).isEmpty();
    }

    /** An archive whose header holds {@code ident} (as the JDK's does, after a few header fields), dated {@code time}. */
    private Path archive(String ident, String time) throws IOException {
        byte[] bytes = new byte[8192];
        byte[] identBytes = ident.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(identBytes, 0, bytes, 16, identBytes.length);
        Path archive = Files.write(dir.resolve("dcf-watcher.jsa"), bytes);
        Files.setLastModifiedTime(archive, FileTime.from(Instant.parse(time)));
        return archive;
    }
}
