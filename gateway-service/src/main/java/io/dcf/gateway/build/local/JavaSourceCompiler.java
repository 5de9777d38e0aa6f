package io.dcf.gateway.build.local;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.grpc.Status;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles a function's Java sources in-process with javax.tools against function-sdk. */
final class JavaSourceCompiler {

    private static final int MAX_DIAGNOSTICS = 20;

    private final Path sdkClasspath;

    JavaSourceCompiler() {
        this.sdkClasspath = sdkLocation();
    }

    /** Where io.dcf.sdk classes come from: a jar in lib/ or a classes directory. */
    static Path sdkLocation() {
        try {
            return Path.of(io.dcf.sdk.Handler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the function-sdk classes", e);
        }
    }

    /**
     * Compiles every {@code *.java} under {@code sources} into {@code classes}.
     *
     * @param extraClasspath jars the function brings
     * @return false when there was nothing to compile
     * @throws InvalidFunctionSpecException with the compiler's errors
     */
    boolean compile(String function, Path sources, Path classes, List<Path> extraClasspath) {
        List<Path> files = javaFiles(sources);
        if (files.isEmpty()) {
            return false;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "cannot compile function " + function
                    + ": the gateway runs on a JRE without a Java compiler; run it on a JDK");
        }
        List<String> classpath = new ArrayList<>();
        classpath.add(sdkClasspath.toString());
        extraClasspath.forEach(p -> classpath.add(p.toString()));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Files.createDirectories(classes);
            List<String> options = List.of("-d", classes.toString(), "-classpath",
                    String.join(java.io.File.pathSeparator, classpath), "-encoding", "UTF-8", "-proc:none",
                    "--release", String.valueOf(Runtime.version().feature()));
            StringWriter out = new StringWriter();
            boolean ok = compiler.getTask(out, fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                throw new InvalidFunctionSpecException("function " + function + ": compilation failed:\n"
                        + describe(diagnostics, sources));
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile function " + function, e);
        }
    }

    private static List<Path> javaFiles(Path sources) {
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + sources, e);
        }
    }

    private static String describe(DiagnosticCollector<JavaFileObject> diagnostics, Path sources) {
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .limit(MAX_DIAGNOSTICS)
                .map(d -> {
                    String file = d.getSource() == null ? "" : sources.relativize(Path.of(d.getSource().toUri())) + ":";
                    return file + d.getLineNumber() + ": error: " + d.getMessage(Locale.ROOT);
                })
                .collect(Collectors.joining("\n"));
    }
}
