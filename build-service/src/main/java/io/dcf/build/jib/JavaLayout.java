package io.dcf.build.jib;

import io.dcf.build.BuildEvents;
import io.dcf.build.BuildFailedException;
import io.dcf.images.JavaFunction;
import io.dcf.runtimes.build.JavaCompileException;
import io.dcf.runtimes.build.JavaSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A Java bundle as {@link JavaFunction}: its sources compiled (the shared compile step) into
 * {@code classes/} with its other files as resources beside them, and its jars as
 * dependencies; or, with no sources, the jar holding the handler as the classes and the
 * other jars as dependencies. The handler class must be there.
 */
final class JavaLayout {

    private JavaLayout() {
    }

    static JavaFunction of(String function, String handler, Path sources, Path workDir, BuildEvents events) {
        List<Path> jars = JavaSources.jars(sources);
        Path classes = workDir.resolve("classes");
        JavaSources.Compilation compilation;
        try {
            compilation = JavaSources.compile(function, sources, classes, jars);
        } catch (JavaCompileException e) {
            e.errors().forEach(events::log);
            throw new BuildFailedException(e.noCompiler() ? e.getMessage()
                    : "function " + function + ": compilation failed: " + e.firstError());
        }
        String entry = handler.replace('.', '/') + ".class";
        if (compilation.empty()) {
            Path jar = jars.stream().filter(j -> holds(j, entry)).findFirst().orElseThrow(() -> new BuildFailedException(
                    "function " + function + ": handler.name: " + handler + " is in no .java file and no jar of the"
                            + " bundle"));
            events.log("no sources: the handler is in " + sources.relativize(jar));
            List<Path> dependencies = new ArrayList<>(jars);
            dependencies.remove(jar);
            return new JavaFunction(jar, dependencies);
        }
        events.log("compiled " + compilation.sourceFiles() + " source files: " + compilation.classes().size()
                + " classes");
        if (!Files.isRegularFile(classes.resolve(entry)) && jars.stream().noneMatch(j -> holds(j, entry))) {
            throw new BuildFailedException("function " + function + ": handler.name: " + handler
                    + " is not among the compiled classes " + compilation.classes());
        }
        copyResources(sources, classes);
        return new JavaFunction(classes, jars);
    }

    /** The bundle's files other than sources and jars (outside target/), beside the classes. */
    private static void copyResources(Path sources, Path classes) {
        Path target = sources.resolve("target");
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path file : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.startsWith(target)).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".java") || name.endsWith(".jar")) {
                    continue;
                }
                Path copy = classes.resolve(sources.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                if (!Files.exists(copy)) {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the resources of " + sources, e);
        }
    }

    private static boolean holds(Path jar, String entry) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry(entry) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
