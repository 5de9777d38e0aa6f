package io.dcf.gateway.build;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.files.Files2;
import java.nio.file.Path;

/**
 * What a {@link FunctionBuilder} made, ready for a backend: local code in a staged
 * directory, or an image reference. Closing it removes a staged directory the backend did
 * not take (moved away), so a failed deploy leaves nothing behind.
 */
public sealed interface BuiltFunction extends AutoCloseable permits BuiltFunction.LocalCode, BuiltFunction.Image {

    /** The build's id; empty when nothing was built (an image used as it is). */
    String buildId();

    /** Removes what the backend did not take. */
    @Override
    void close();

    /** Code laid out in {@code directory} as a local generation: {@code src/}, {@code classes/},
     *  {@code function.jar}, {@code venv/}. The local backend moves the directory (same file system). */
    static LocalCode localCode(String buildId, Path directory) {
        return new LocalCode(buildId, directory);
    }

    /** An image built by build {@code buildId}, by digest ({@code registry/name@sha256:...}). */
    static Image image(String buildId, String reference) {
        return new Image(buildId, reference);
    }

    /** An image given by the spec and used as it is (nothing built). */
    static Image prebuilt(String reference) {
        return new Image("", reference);
    }

    /** Local code staged in a directory. */
    record LocalCode(String buildId, Path directory) implements BuiltFunction {
        public LocalCode {
            requireNonNull(buildId, "buildId");
            requireNonNull(directory, "directory");
        }

        @Override
        public void close() {
            Files2.deleteTree(directory);
        }
    }

    /** A container image reference. */
    record Image(String buildId, String reference) implements BuiltFunction {
        public Image {
            requireNonNull(buildId, "buildId");
            requireNonNull(reference, "reference");
        }

        @Override
        public void close() {
        }
    }
}
