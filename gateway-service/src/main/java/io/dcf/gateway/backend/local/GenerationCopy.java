package io.dcf.gateway.backend.local;

import io.dcf.gateway.files.Files2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Lays a generation's code out again for a new generation without copying bytes: regular files
 * are hard-linked (sealed code is read-only, so sharing an inode shares nothing writable),
 * symbolic links are recreated as they are (a venv's {@code bin/python}), directories are made
 * anew. Where a link cannot be made (another file system), the file is copied.
 */
final class GenerationCopy {

    private GenerationCopy() {
    }

    /** Makes {@code to} (which must not exist) hold what {@code from} holds; on failure nothing of {@code to} is left. */
    static void link(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectory(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (attrs.isSymbolicLink()) {
                        Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                    } else if (attrs.isRegularFile()) {
                        linkOrCopy(file, target);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            Files2.deleteTree(to);
            throw new UncheckedIOException("cannot lay out " + to + " from " + from, e);
        }
    }

    private static void linkOrCopy(Path file, Path target) throws IOException {
        try {
            Files.createLink(target, file);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
