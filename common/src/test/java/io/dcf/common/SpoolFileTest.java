package io.dcf.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolFileTest {

    @TempDir
    Path dir;

    @Test
    void append_writesWithinTheLimit_finishMakesTheFileReadable_closeRemovesIt() throws Exception {
        Path spool = dir.resolve("uploads");
        Path file;
        try (SpoolFile f = SpoolFile.create(spool, "fn-", ".model", 10)) {
            file = f.path();
            f.append(6).write("hello ".getBytes(StandardCharsets.UTF_8));
            f.append(4).write("dcf!".getBytes(StandardCharsets.UTF_8));
            f.finish();

            assertThat(f.bytes()).isEqualTo(10);
            assertThat(file).hasParent(spool).hasContent("hello dcf!");
            assertThat(file.getFileName().toString()).startsWith("fn-").endsWith(".model");
        }
        assertThat(file).doesNotExist();
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void append_overTheLimit_throwsWithTheCountAndWritesNothing() throws Exception {
        try (SpoolFile f = SpoolFile.create(dir, "fn-", ".layer", 10)) {
            f.append(8).write(new byte[8]);

            assertThatThrownBy(() -> f.append(3)).isInstanceOfSatisfying(SpoolFile.TooLargeException.class, e -> {
                assertThat(e.bytes()).isEqualTo(11);
                assertThat(e.maxBytes()).isEqualTo(10);
                assertThat(e).hasMessage("the file has at least 11 bytes (expected: at most 10)");
            });
            f.finish();
            assertThat(f.bytes()).isEqualTo(8);
            assertThat(f.path()).hasSize(8);
        }
        assertThat(dir).isEmptyDirectory();
    }
}
