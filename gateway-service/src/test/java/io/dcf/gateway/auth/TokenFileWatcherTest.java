package io.dcf.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcf.common.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rotated token file takes effect without a restart; a broken one keeps the current token. */
class TokenFileWatcherTest {

    @TempDir
    Path dir;

    @Test
    void rotatedFile_replacesTheToken_anEmptyOneKeepsIt() throws Exception {
        Path file = dir.resolve("token");
        AtomicFiles.writePrivate(file, "first\n");
        Authenticator auth = Authenticator.of(TokenFiles.read(file));

        try (TokenFileWatcher watcher = TokenFileWatcher.start(file, Duration.ofMillis(50), auth)) {
            rewrite(file, "second\n", 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> auth.authenticate("Bearer second").authenticated());
            assertThat(auth.authenticate("Bearer first").authenticated()).isFalse();

            rewrite(file, "\n", 2);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(30))
                    .until(() -> auth.authenticate("Bearer second").authenticated());
        }
    }

    /** Writes {@code text} and moves the file's time {@code seconds} ahead, so the change is seen on any file system. */
    private static void rewrite(Path file, String text, int seconds) throws Exception {
        AtomicFiles.writePrivate(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
    }
}
