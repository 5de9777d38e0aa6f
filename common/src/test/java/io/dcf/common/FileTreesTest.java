package io.dcf.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void delete_removesTheTreeWithItsReadOnlyDirectoriesAndFiles() throws Exception {
        Path root = dir.resolve("generation");
        Path sealed = Files.createDirectories(root.resolve("code/lib"));
        Files.writeString(sealed.resolve("handler.py"), "def handle(x): return x\n");
        Files.writeString(root.resolve("top.txt"), "x");
        Files.setPosixFilePermissions(sealed.resolve("handler.py"), PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(sealed, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(sealed.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void delete_removesLinksWithoutFollowingThem() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "kept");
        Path root = Files.createDirectories(dir.resolve("work"));
        Files.createSymbolicLink(root.resolve("dir-link"), outside);
        Files.createSymbolicLink(root.resolve("file-link"), outside.resolve("keep.txt"));

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("kept");
    }

    @Test
    void delete_aLinkAsTheRoot_removesTheLinkOnly() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "kept");
        Path link = Files.createSymbolicLink(dir.resolve("link"), outside);

        FileTrees.delete(link);

        assertThat(link).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("kept");
    }

    @Test
    void delete_aMissingPathOrAPlainFile_isFine() throws Exception {
        Path file = Files.writeString(dir.resolve("one.txt"), "1");

        FileTrees.delete(dir.resolve("missing"));
        FileTrees.delete(file);

        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void delete_aPathItCannotRead_throwsNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        Path under = file.resolve("entry");

        assertThatThrownBy(() -> FileTrees.delete(under)).isInstanceOf(IOException.class)
                .hasMessageContaining(under.toString());
        assertThat(file).hasContent("x");
    }
}
