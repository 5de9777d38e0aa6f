package io.dcf.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Replaces a file's content so that readers see the old file or the new one, never half of it. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Writes {@code text} to a temporary file beside {@code target}, then renames it over
     * {@code target} (atomically where the file system can). The temporary file never outlives the call.
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text, false);
    }

    /**
     * Like {@link #writeString}, for secrets: the file is created readable and writable by its
     * owner only (mode 0600 on POSIX file systems), so no other user can read it at any moment.
     */
    public static void writePrivate(Path target, String text) throws IOException {
        write(target, text, true);
    }

    private static void write(Path target, String text, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String prefix = "." + target.getFileName();
        Path tmp = ownerOnly && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dir, prefix, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, prefix, ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
