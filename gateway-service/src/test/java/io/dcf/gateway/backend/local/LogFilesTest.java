package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replica logs rotated by size: what is kept, and tail and follow across the rotation. */
class LogFilesTest {

    private static final LogRotation SMALL = new LogRotation(1000, 3);

    @TempDir
    Path logs;

    @Test
    void rotation_keepsAtMostTheConfiguredFilesEachNearTheSize() throws IOException {
        Path log = LogFiles.file(logs, 0);
        try (RotatingFile file = new RotatingFile(log, SMALL)) {
            for (int i = 0; i < 500; i++) {
                write(file, "line %04d of some output%n".formatted(i));
            }
        }
        try (var files = Files.list(logs)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("replica-0.log", "replica-0.log.1", "replica-0.log.2");
        }
        for (Path p : RotatingFile.oldestFirst(log)) {
            assertThat(Files.size(p)).as(p.toString()).isLessThan(1000 + 30);
        }
        assertThat(RotatingFile.oldestFirst(log)).containsExactly(
                logs.resolve("replica-0.log.2"), logs.resolve("replica-0.log.1"), log);
    }

    @Test
    void tail_readsAcrossTheRotation() throws IOException {
        Path log = LogFiles.file(logs, 0);
        try (RotatingFile file = new RotatingFile(log, SMALL)) {
            for (int i = 0; i < 100; i++) {
                write(file, "line %04d of some output%n".formatted(i));
            }
        }
        String current = Files.readString(log);
        assertThat(current.lines().count()).as("the current file alone holds fewer lines").isLessThan(60);

        assertThat(LogFiles.tail(log, 60).lines()).containsExactlyElementsOf(
                IntStream.range(40, 100).mapToObj("line %04d of some output"::formatted).toList());
    }

    @Test
    void follow_continuesThroughARotation() throws Exception {
        Path log = LogFiles.file(logs, 0);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        try (RotatingFile file = new RotatingFile(log, SMALL)) {
            write(file, "before\n");
            CompletableFuture<Void> following = CompletableFuture.runAsync(() ->
                    LogFiles.stream(logs, 10, true, (index, replica, line) -> seen.add(line), cancelled::get));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("before"));
            for (int i = 0; i < 5; i++) { // each batch is half a file: two rotations happen between polls
                for (int j = 0; j < 20; j++) {
                    write(file, "line %d-%02d of some output%n".formatted(i, j));
                }
                int last = i;
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains(
                        "line %d-19 of some output".formatted(last)));
            }
            cancelled.set(true);
            following.get();
        }
        List<String> expected = new java.util.ArrayList<>(List.of("before"));
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 20; j++) {
                expected.add("line %d-%02d of some output".formatted(i, j));
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    private static void write(RotatingFile file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        file.write(bytes, 0, bytes.length);
    }
}
