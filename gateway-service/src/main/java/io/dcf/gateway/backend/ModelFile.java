package io.dcf.gateway.backend;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A model file received for a function ({@code dcf function update-model}), spooled to disk
 * and checked: what a backend turns into a new version.
 *
 * @param function the function's name
 * @param path     where handlers find it: an absolute, normalized path ({@code /models/model.bin}); in an
 *                 image as is, locally under the function's directory
 * @param file     the received bytes on the gateway's disk; the backend may move it away
 * @param digest   {@code sha256:<hex>} of the bytes
 * @param bytes    the file's size
 */
public record ModelFile(String function, String path, Path file, String digest, long bytes) {

    public ModelFile {
        requireNonNull(function, "function");
        requireNonNull(path, "path");
        requireNonNull(file, "file");
        requireNonNull(digest, "digest");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: '" + path + "' (expected: absolute)");
        }
    }

    /** The path relative to the root ({@code models/model.bin}), to lay the file under a directory. */
    public String relativePath() {
        return path.substring(1);
    }
}
