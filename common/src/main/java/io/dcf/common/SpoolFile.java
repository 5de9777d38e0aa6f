package io.dcf.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary file an upload is written into, counted against a limit. {@link #close()} removes
 * it, whatever ended the upload: the receiver closes it once the file has been used.
 */
public final class SpoolFile implements AutoCloseable {

    private final Path path;
    private final OutputStream out;
    private final long maxBytes;
    private long bytes;

    private SpoolFile(Path path, long maxBytes) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.out = Files.newOutputStream(path);
    }

    /** A new empty file in {@code dir} (created if missing), named {@code <prefix><random><suffix>}. */
    public static SpoolFile create(Path dir, String prefix, String suffix, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, prefix, suffix);
        try {
            return new SpoolFile(file, maxBytes);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Counts {@code size} more bytes and, while they stay within the limit, returns the stream to
     * write them to; {@link TooLargeException} (nothing written) once they would not.
     */
    public OutputStream append(long size) throws TooLargeException {
        if (bytes + size > maxBytes) {
            throw new TooLargeException(bytes + size, maxBytes);
        }
        bytes += size;
        return out;
    }

    /** The bytes counted so far. */
    public long bytes() {
        return bytes;
    }

    public Path path() {
        return path;
    }

    /** Closes the stream: the file is complete and can be read. */
    public void finish() throws IOException {
        out.close();
    }

    /** Closes the stream and removes the file. */
    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** An upload over its limit. */
    public static final class TooLargeException extends IOException {
        private final long bytes;
        private final long maxBytes;

        TooLargeException(long bytes, long maxBytes) {
            super("the file has at least " + bytes + " bytes (expected: at most " + maxBytes + ")");
            this.bytes = bytes;
            this.maxBytes = maxBytes;
        }

        public long bytes() {
            return bytes;
        }

        public long maxBytes() {
            return maxBytes;
        }
    }
}
