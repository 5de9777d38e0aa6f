package io.dcf.runtimes.build;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The one Java compile step of DCF: a function's {@code *.java} files compiled in-process
 * with {@code javax.tools} against function-sdk and the function's own jars. Used by the
 * gateway's local backend, build-service's Jib builder and the CLI's {@code dcf function build}.
 *
 * <p>A top-level {@code target/} directory (a Maven build's output) is not part of the sources.
 */
public final class JavaSources {

    /**
     * The Java release handlers are compiled for: 17, the oldest JVM a DCF replica runs on (the
     * function images' jlinked JRE, and any JDK 17+ in local mode). Not the compiling JVM's own
     * version: a gateway or CLI on JDK 25 would otherwise write class files (major version 69)
     * that a JDK 17 replica refuses with UnsupportedClassVersionError.
     */
    public static final int RELEASE = 17;

    private static final int MAX_ERRORS = 20;

    private JavaSources() {
    }

    /** What a successful compilation produced. */
    public record Compilation(int sourceFiles, List<String> messages, List<String> classes) {
        public Compilation {
            messages = List.copyOf(messages);
            classes = List.copyOf(classes);
        }

        /** Nothing to compile: no {@code *.java} file in the sources. */
        public boolean empty() {
            return sourceFiles == 0;
        }
    }

    /**
     * Compiles every {@code *.java} under {@code sources} into {@code classes}.
     *
     * @param function names the function in error messages
     * @param extraClasspath jars the function brings (function-sdk is always on the classpath)
     * @return the compilation; {@link Compilation#empty()} when there was nothing to compile
     * @throws JavaCompileException when the sources do not compile (the compiler's errors, file
     *     and line first) or this Java runtime has no compiler
     */
    public static Compilation compile(String function, Path sources, Path classes, List<Path> extraClasspath) {
        requireNonNull(function, "function");
        requireNonNull(sources, "sources");
        requireNonNull(classes, "classes");
        List<Path> files = files(sources, ".java");
        if (files.isEmpty()) {
            return new Compilation(0, List.of(), List.of());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw JavaCompileException.noCompiler(function);
        }
        List<String> classpath = new ArrayList<>();
        classpath.add(sdkLocation().toString());
        extraClasspath.forEach(p -> classpath.add(p.toString()));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            Files.createDirectories(classes);
            List<String> options = List.of("-d", classes.toString(), "-classpath",
                    String.join(File.pathSeparator, classpath), "-encoding", "UTF-8", "-proc:none",
                    "-Xlint:none", "-nowarn", "--release", String.valueOf(RELEASE));
            StringWriter out = new StringWriter();
            boolean ok = compiler.getTask(out, fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(files)).call();
            List<String> errors = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                String line = format(sources, d);
                messages.add(line);
                if (d.getKind() == Diagnostic.Kind.ERROR && errors.size() < MAX_ERRORS) {
                    errors.add(line);
                }
            }
            out.toString().lines().filter(l -> !l.isBlank()).forEach(messages::add);
            if (!ok) {
                throw JavaCompileException.errors(function, errors);
            }
            return new Compilation(files.size(), messages, classNames(classes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile function " + function, e);
        }
    }

    /** Where the io.dcf.sdk classes come from: a jar or a classes directory. */
    public static Path sdkLocation() {
        try {
            return Path.of(io.dcf.sdk.Handler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the function-sdk classes", e);
        }
    }

    /** The jars under {@code dir} (outside a top-level {@code target/}), sorted: a function's libraries. */
    public static List<Path> jars(Path dir) {
        return files(dir, ".jar");
    }

    private static String format(Path sources, Diagnostic<? extends JavaFileObject> d) {
        String where = "";
        if (d.getSource() != null) {
            where = sources.relativize(Path.of(d.getSource().toUri())) + ":" + d.getLineNumber() + ": ";
        }
        return where + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT);
    }

    private static List<String> classNames(Path classes) {
        return files(classes, ".class").stream()
                .map(p -> classes.relativize(p).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", ""))
                .toList();
    }

    private static List<Path> files(Path dir, String suffix) {
        Path target = dir.resolve("target");
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !p.startsWith(target))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
