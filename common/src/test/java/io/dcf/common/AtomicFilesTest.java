package io.dcf.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeString_createsParentsAndReplacesTheOldContent_leavingNoTemporaryFile() throws Exception {
        Path target = dir.resolve("a/b/settings.yaml");

        AtomicFiles.writeString(target, "first\n");
        AtomicFiles.writeString(target, "second\n");

        assertThat(target).hasContent("second");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writePrivate_isReadableAndWritableByItsOwnerOnly_evenOverAnOpenFile() throws Exception {
        Path target = dir.resolve("token");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.writePrivate(target, "s3cret");

        assertThat(target).hasContent("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }
}
