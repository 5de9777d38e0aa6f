package io.dcf.gateway.backend.local;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A log file written by appending and rotated by size ({@link LogRotation}). It rotates at
 * the end of the line that reaches the size, so a file holds whole lines and stays under
 * the size plus one write; only a line longer than the size itself is split.
 */
final class RotatingFile implements Closeable {

    private final Path file;
    private final LogRotation rotation;
    private OutputStream out;
    private long size;

    RotatingFile(Path file, LogRotation rotation) throws IOException {
        this.file = file;
        this.rotation = rotation;
        open();
    }

    /** The files of a log, oldest first: {@code name.(files-1)}, ..., {@code name.1}, {@code name}; only those that exist. */
    static List<Path> oldestFirst(Path file) {
        List<Path> found = new ArrayList<>();
        for (int k = 1; Files.exists(rotated(file, k)); k++) {
            found.add(0, rotated(file, k));
        }
        if (Files.exists(file)) {
            found.add(file);
        }
        return found;
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (size + length < rotation.maxBytes()) {
            append(bytes, offset, length);
            return;
        }
        // This write reaches the size: rotate after its last complete line, the rest starts the next file.
        int lineEnd = offset + length;
        while (lineEnd > offset && bytes[lineEnd - 1] != '\n') {
            lineEnd--;
        }
        if (lineEnd > offset) {
            append(bytes, offset, lineEnd - offset);
            rotate();
            append(bytes, lineEnd, offset + length - lineEnd);
        } else {
            append(bytes, offset, length);
            if (size >= 2 * rotation.maxBytes()) { // one endless line: split it rather than grow without bound
                rotate();
            }
        }
    }

    private void append(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        size += length;
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(rotated(file, rotation.files()));
        for (int k = rotation.files() - 1; k >= 1; k--) {
            Path from = k == 1 ? file : rotated(file, k - 1);
            try {
                Files.move(from, rotated(file, k), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                // fewer files so far
            }
        }
        if (rotation.files() == 1) {
            Files.deleteIfExists(file);
        }
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private static Path rotated(Path file, int k) {
        return file.resolveSibling(file.getFileName() + "." + k);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
