package io.dcf.build.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * One AddLayer request, checked: put {@code file} at {@code path} in a new image based on {@code baseImage}.
 *
 * @param id         the build's id (names the tag when none is given, and log lines)
 * @param function   the function the image belongs to (for messages)
 * @param baseImage  the image to extend, by digest ({@code registry/name@sha256:...}) or tag
 * @param path       the file's absolute path in the image
 * @param file       the received file on the service's disk
 * @param repository where to push, {@code registry/name}
 * @param tag        the tag pushed beside the digest
 */
public record ModelLayer(String id, String function, String baseImage, String path, Path file, String repository,
                         String tag) {

    public ModelLayer {
        requireNonNull(id, "id");
        requireNonNull(function, "function");
        requireNonNull(baseImage, "baseImage");
        requireNonNull(path, "path");
        requireNonNull(file, "file");
        requireNonNull(repository, "repository");
        requireNonNull(tag, "tag");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: '" + path + "' (expected: absolute)");
        }
    }
}
