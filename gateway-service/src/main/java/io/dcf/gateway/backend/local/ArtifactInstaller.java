package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Lays out a function's code in a generation directory: {@code src/} (sources and
 * files, copied or unzipped), {@code classes/} (compiled Java), {@code function.jar}.
 */
final class ArtifactInstaller {

    private final JavaSourceCompiler compiler;
    private final Supplier<String> python;
    private final CodeLimits limits;
    private final ExpansionBudget budget;
    private final LocalPathCopier localPaths;

    ArtifactInstaller(JavaSourceCompiler compiler, Supplier<String> python, Path home, CodeLimits limits) {
        this.compiler = requireNonNull(compiler, "compiler");
        this.python = requireNonNull(python, "python");
        this.limits = requireNonNull(limits, "limits");
        this.budget = new ExpansionBudget(limits.maxBytes());
        this.localPaths = new LocalPathCopier(home, limits);
    }

    /**
     * Installs {@code artifact} into {@code genDir} (which must not exist yet) and returns its
     * layout; on failure nothing of {@code genDir} is left. The bytes laid out come from the
     * budget shared by every install in progress, given back when this one ends.
     */
    InstalledArtifact install(FunctionSpec spec, Artifact artifact, Path genDir) {
        checkRuntimeRunsLocally(spec);
        ExpansionBudget.Reservation reservation = budget.reserve(spec.getName());
        try {
            return installCode(spec, artifact, genDir, reservation);
        } catch (RuntimeException e) {
            Files2.deleteTree(genDir);
            throw e;
        } finally {
            reservation.close();
        }
    }

    private InstalledArtifact installCode(FunctionSpec spec, Artifact artifact, Path genDir,
                                          ExpansionBudget.Reservation reservation) {
        String name = spec.getName();
        try {
            Files.createDirectories(genDir);
            switch (artifact.getSourceCase()) {
                case SOURCE_ZIP -> Unzip.extract(name, artifact.getSourceZip().toByteArray(), genDir.resolve("src"),
                        limits, reservation);
                case JAR -> {
                    reservation.describing("artifact.jar").add(artifact.getJar().size());
                    Files.write(genDir.resolve("function.jar"), artifact.getJar().toByteArray());
                }
                case LOCAL_PATH -> copyLocal(name, artifact.getLocalPath(), genDir, reservation);
                default -> throw new InvalidFunctionSpecException("function " + name
                        + ": artifact: no code given (expected: source_zip, jar or local_path)");
            }
            Path src = genDir.resolve("src");
            if (isJava(spec) && Files.isDirectory(src)) {
                compiler.compile(name, src, genDir.resolve("classes"), jarsUnder(src));
            } else if (!isJava(spec)) {
                checkHandlerFile(spec, src);
                if (PythonEnvironment.needed(src.resolve("requirements.txt"))) {
                    PythonEnvironment.create(name, python, src.resolve("requirements.txt"), genDir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the code of function " + name, e);
        }
        return layout(spec, genDir);
    }

    /** The layout of an installed generation (used again when the gateway restarts). */
    static InstalledArtifact layout(FunctionSpec spec, Path genDir) {
        Path src = genDir.resolve("src");
        Path functionDir = Files.isDirectory(src) ? src : genDir;
        if (!isJava(spec)) {
            return new InstalledArtifact(List.of(functionDir), functionDir, PythonEnvironment.existing(genDir));
        }
        List<Path> classpath = new ArrayList<>();
        for (Path candidate : List.of(genDir.resolve("function.jar"), genDir.resolve("classes"), src)) {
            if (Files.exists(candidate)) {
                classpath.add(candidate);
            }
        }
        if (Files.isDirectory(src)) {
            classpath.addAll(jarsUnder(src));
        }
        return new InstalledArtifact(classpath, functionDir);
    }

    /** Whether the spec's runtime runs on watcher-java (list.yml's {@code watcher: java}); else the Python watcher. */
    static boolean isJava(FunctionSpec spec) {
        return runtime(spec).map(r -> r.watcher() == FunctionRuntime.Watcher.JAVA).orElse(false);
    }

    /** Refuses a runtime list.yml marks {@code local: false} (go): the local backend has no watcher for it. */
    static void checkRuntimeRunsLocally(FunctionSpec spec) {
        if (!runtime(spec).map(FunctionRuntime::local).orElse(true)) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + spec.getName()
                    + ": runtime " + spec.getRuntime() + " does not run in local mode; deploy it to a"
                    + " Kubernetes cluster (see docs/runtimes.md)");
        }
    }

    private static Optional<FunctionRuntime> runtime(FunctionSpec spec) {
        return RuntimeCatalog.standard().find(spec.getRuntime());
    }

    private static void checkHandlerFile(FunctionSpec spec, Path src) {
        String file = spec.getHandler().getFile().isEmpty() ? WatcherContract.DEFAULT_PYTHON_FILE
                : spec.getHandler().getFile();
        if (!Files.isRegularFile(src.resolve(file))) {
            throw new InvalidFunctionSpecException("function " + spec.getName() + ": handler.file: '" + file
                    + "' is not in the function's directory");
        }
    }

    private void copyLocal(String name, String localPath, Path genDir, ExpansionBudget.Reservation reservation)
            throws IOException {
        Path path;
        try {
            path = Path.of(localPath);
        } catch (InvalidPathException e) {
            throw new InvalidFunctionSpecException("function " + name + ": artifact.local_path: '" + localPath
                    + "' is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw new InvalidFunctionSpecException("function " + name + ": artifact.local_path: '" + path
                    + "' must be absolute (it is read by the gateway)");
        }
        if (Files.isDirectory(path)) {
            localPaths.copyDirectory(name, path, genDir.resolve("src"), reservation);
        } else if (Files.isRegularFile(path) && path.toString().endsWith(".jar")) {
            localPaths.copyJar(name, path, genDir.resolve("function.jar"), reservation);
        } else {
            throw new InvalidFunctionSpecException("function " + name + ": artifact.local_path: '" + path
                    + "' is neither a directory nor a .jar file");
        }
    }

    private static List<Path> jarsUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
