package io.dcf.images;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The code of a Java function, as {@link FunctionImages#java} lays it into an image.
 *
 * @param classes      the function's own classes: a directory of {@code .class} files (and
 *                     resources) or a jar; it changes with every build, so it is the top layer
 * @param dependencies the jars the function's classes need, in class path order (not the SDK:
 *                     the watcher brings {@code io.dcf.sdk}); they change rarely, so they are
 *                     a layer of their own below the classes. File names must be unique.
 */
public record JavaFunction(Path classes, List<Path> dependencies) {

    public JavaFunction {
        requireNonNull(classes, "classes");
        dependencies = List.copyOf(requireNonNull(dependencies, "dependencies"));
        if (!Files.isDirectory(classes) && !isJar(classes)) {
            throw new IllegalArgumentException("classes: " + classes
                    + " (expected: a directory of the function's classes or a .jar file)");
        }
        Set<String> names = new HashSet<>();
        for (Path jar : dependencies) {
            if (!isJar(jar)) {
                throw new IllegalArgumentException("dependencies: " + jar + " (expected: an existing .jar file)");
            }
            if (!names.add(jar.getFileName().toString())) {
                throw new IllegalArgumentException("dependencies: two jars are named " + jar.getFileName()
                        + " (expected: unique file names, they share one directory in the image)");
            }
        }
    }

    /** A function with no jars besides its own classes. */
    public static JavaFunction of(Path classes) {
        return new JavaFunction(classes, List.of());
    }

    private static boolean isJar(Path file) {
        return Files.isRegularFile(file)
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }
}
