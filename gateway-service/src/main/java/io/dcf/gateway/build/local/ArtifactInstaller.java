package io.dcf.gateway.build.local;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.gateway.files.Files2;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Lays out a function's code in a directory the way the local backend runs it:
 * {@code src/} (sources and files, copied or unzipped), {@code classes/} (compiled Java),
 * {@code function.jar}, {@code venv/} (Python requirements).
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
     * Installs {@code artifact} into {@code dir} (which must not exist yet), telling {@code steps}
     * each step and the tools' output; on failure nothing of {@code dir} is left. The bytes laid out come from the
     * budget shared by every install in progress, given back when this one ends.
     */
    void install(FunctionSpec spec, Artifact artifact, Path dir, BuildSteps steps) {
        checkRuntimeRunsLocally(spec);
        ExpansionBudget.Reservation reservation = budget.reserve(spec.getName());
        try {
            installCode(spec, artifact, dir, reservation, steps);
        } catch (RuntimeException e) {
            Files2.deleteTree(dir);
            throw e;
        } finally {
            reservation.close();
        }
    }

    private void installCode(FunctionSpec spec, Artifact artifact, Path dir, ExpansionBudget.Reservation reservation,
                             BuildSteps steps) {
        String name = spec.getName();
        try {
            Files.createDirectories(dir);
            switch (artifact.getSourceCase()) {
                case SOURCE_ZIP -> {
                    steps.step(BuildPhase.BUILD_PHASE_EXTRACTING, "unzipping");
                    Unzip.extract(name, artifact.getSourceZip().toByteArray(), dir.resolve("src"), limits,
                            reservation);
                }
                case JAR -> {
                    steps.step(BuildPhase.BUILD_PHASE_EXTRACTING, "writing the jar");
                    reservation.describing("artifact.jar").add(artifact.getJar().size());
                    Files.write(dir.resolve("function.jar"), artifact.getJar().toByteArray());
                }
                case LOCAL_PATH -> {
                    steps.step(BuildPhase.BUILD_PHASE_EXTRACTING, "copying " + artifact.getLocalPath());
                    copyLocal(name, artifact.getLocalPath(), dir, reservation);
                }
                default -> throw new InvalidFunctionSpecException("function " + name
                        + ": artifact: no code given (expected: source_zip, jar or local_path)");
            }
            Path src = dir.resolve("src");
            boolean java = WatcherContract.javaWatcher(spec);
            if (java && Files.isDirectory(src)) {
                compiler.compile(name, src, dir.resolve("classes"), Files2.filesEndingWith(src, ".jar"), steps);
            } else if (!java) {
                checkHandlerFile(spec, src);
                if (PythonEnvironment.needed(src.resolve("requirements.txt"))) {
                    steps.step(BuildPhase.BUILD_PHASE_BUILDING, "installing requirements.txt (pip)");
                    PythonEnvironment.create(name, python, src.resolve("requirements.txt"), dir, steps::output);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the code of function " + name, e);
        }
    }

    /** Refuses a runtime list.yml marks {@code local: false} (go): the local backend has no watcher for it. */
    static void checkRuntimeRunsLocally(FunctionSpec spec) {
        if (!RuntimeCatalog.standard().find(spec.getRuntime()).map(FunctionRuntime::local).orElse(true)) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + spec.getName()
                    + ": runtime " + spec.getRuntime() + " does not run in local mode; deploy it to a"
                    + " Kubernetes cluster (see docs/runtimes.md)");
        }
    }

    private static void checkHandlerFile(FunctionSpec spec, Path src) {
        String file = spec.getHandler().getFile().isEmpty() ? WatcherContract.DEFAULT_PYTHON_FILE
                : spec.getHandler().getFile();
        if (!Files.isRegularFile(src.resolve(file))) {
            throw new InvalidFunctionSpecException("function " + spec.getName() + ": handler.file: '" + file
                    + "' is not in the function's directory");
        }
    }

    private void copyLocal(String name, String localPath, Path dir, ExpansionBudget.Reservation reservation)
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
            localPaths.copyDirectory(name, path, dir.resolve("src"), reservation);
        } else if (Files.isRegularFile(path) && path.toString().endsWith(".jar")) {
            localPaths.copyJar(name, path, dir.resolve("function.jar"), reservation);
        } else {
            throw new InvalidFunctionSpecException("function " + name + ": artifact.local_path: '" + path
                    + "' is neither a directory nor a .jar file");
        }
    }
}
