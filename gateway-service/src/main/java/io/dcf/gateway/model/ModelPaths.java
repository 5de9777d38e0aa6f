package io.dcf.gateway.model;

import io.dcf.gateway.error.InvalidFunctionSpecException;

/** Checks where a model file goes ({@code ModelStart.path}, {@code file_name}) by {@link io.dcf.proto.ModelPaths}. */
public final class ModelPaths {

    private ModelPaths() {
    }

    /**
     * The absolute path the file goes to: {@code path}, or {@code /models/<fileName>} when it is
     * empty; INVALID_ARGUMENT naming the function and the field otherwise.
     */
    public static String resolve(String function, String path, String fileName) {
        try {
            return io.dcf.proto.ModelPaths.resolve(path, fileName);
        } catch (IllegalArgumentException e) {
            throw new InvalidFunctionSpecException("function " + function + ": " + e.getMessage());
        }
    }
}
