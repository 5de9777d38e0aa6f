package io.dcf.cli.function;

import io.dcf.cli.CliException;
import io.dcf.sdk.Handler;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Compiles a Java handler directory locally with {@code javax.tools} against
 * function-sdk (and the directory's own jars), so {@code dcf function build} reports
 * compile errors before anything is sent to the gateway.
 */
final class JavaCompileCheck {

    private JavaCompileCheck() {
    }

    /** The outcome: success, the compiler's messages, and the classes produced. */
    record Result(boolean ok, List<String> messages, List<String> classes) {
    }

    static Result compile(Path dir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw CliException.usage("no Java compiler in this Java runtime (" + System.getProperty("java.home")
                    + "); run dcf with a JDK");
        }
        List<Path> sources = files(dir, ".java");
        if (sources.isEmpty()) {
            return new Result(false, List.of("no .java files in " + dir), List.of());
        }
        Path out = Files.createTempDirectory("dcf-build");
        try {
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            StringWriter output = new StringWriter();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                List<String> options = List.of("-d", out.toString(), "-classpath", classpath(dir),
                        "-proc:none", "-encoding", "UTF-8", "-Xlint:none", "-nowarn");
                boolean ok = javac.getTask(output, fm, diagnostics, options, null,
                        fm.getJavaFileObjectsFromPaths(sources)).call();
                List<String> messages = new ArrayList<>();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    messages.add(format(dir, d));
                }
                output.toString().lines().filter(l -> !l.isBlank()).forEach(messages::add);
                List<String> classes = files(out, ".class").stream()
                        .map(p -> out.relativize(p).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", ""))
                        .toList();
                return new Result(ok, messages, classes);
            }
        } finally {
            deleteTree(out);
        }
    }

    private static String format(Path dir, Diagnostic<? extends JavaFileObject> d) {
        String where = "";
        if (d.getSource() != null) {
            Path source = Path.of(d.getSource().toUri());
            where = dir.relativize(source) + ":" + d.getLineNumber() + ": ";
        }
        return where + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT);
    }

    private static String classpath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        try {
            entries.add(Path.of(Handler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate function-sdk", e);
        }
        files(dir, ".jar").forEach(jar -> entries.add(jar.toString()));
        return String.join(File.pathSeparator, entries);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !dir.relativize(p).toString().startsWith("target" + File.separator))
                    .sorted()
                    .toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
