package io.dcf.images;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The code of a Python function, as {@link FunctionImages#python} lays it into an image.
 *
 * @param directory   the function's directory: the handler file and its other modules and data
 *                    ({@code __pycache__} directories and {@code .pyc} files are left out)
 * @param handlerFile the handler's file inside {@code directory}, e.g. {@code handler.py}
 */
public record PythonFunction(Path directory, String handlerFile) {

    public PythonFunction {
        requireNonNull(directory, "directory");
        requireNonNull(handlerFile, "handlerFile");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("directory: " + directory + " (expected: the function's directory)");
        }
        Path handler = directory.resolve(handlerFile).normalize();
        if (handlerFile.isBlank() || !handler.startsWith(directory.normalize()) || !Files.isRegularFile(handler)) {
            throw new IllegalArgumentException("handlerFile: '" + handlerFile + "' (expected: a file inside "
                    + directory + ", e.g. handler.py)");
        }
    }

    /** A function whose handler is {@code handler.py}, the template's. */
    public static PythonFunction of(Path directory) {
        return new PythonFunction(directory, "handler.py");
    }
}
