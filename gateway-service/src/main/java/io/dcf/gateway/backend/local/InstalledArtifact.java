package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.WatcherContract;
import io.dcf.gateway.files.Files2;
import io.dcf.proto.v1.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A function's code as laid out on disk for one generation (by {@code LocalFunctionBuilder}).
 *
 * @param classpath   Java: jars and directories holding the handler; Python: the source directory
 * @param functionDir the handler's home directory (its files, models, requirements.txt)
 * @param python      Python: the function's own virtual environment's python, when it has one
 * @param model       the model file added by {@code update-model} (under {@code functionDir}), when there is one
 */
record InstalledArtifact(List<Path> classpath, Path functionDir, Optional<Path> python, Optional<Path> model) {
    InstalledArtifact {
        classpath = List.copyOf(classpath);
    }

    InstalledArtifact(List<Path> classpath, Path functionDir, Optional<Path> python) {
        this(classpath, functionDir, python, Optional.empty());
    }

    InstalledArtifact(List<Path> classpath, Path functionDir) {
        this(classpath, functionDir, Optional.empty());
    }

    /**
     * The layout of a generation directory: {@code src/}, {@code classes/}, {@code function.jar},
     * {@code venv/} (used at deploy and again when the gateway restarts).
     */
    static InstalledArtifact of(FunctionSpec spec, Path genDir) {
        Path src = genDir.resolve("src");
        Path functionDir = Files.isDirectory(src) ? src : genDir;
        if (!WatcherContract.javaWatcher(spec)) {
            Path python = genDir.resolve("venv/bin/python");
            return new InstalledArtifact(List.of(functionDir), functionDir,
                    Files.isExecutable(python) ? Optional.of(python) : Optional.empty());
        }
        List<Path> classpath = new ArrayList<>();
        for (Path candidate : List.of(genDir.resolve("function.jar"), genDir.resolve("classes"), src)) {
            if (Files.exists(candidate)) {
                classpath.add(candidate);
            }
        }
        if (Files.isDirectory(src)) {
            classpath.addAll(Files2.filesEndingWith(src, ".jar"));
        }
        return new InstalledArtifact(classpath, functionDir);
    }

    /** The same code with the model at {@code relativePath} under the function's directory (none when empty). */
    InstalledArtifact withModel(String relativePath) {
        return new InstalledArtifact(classpath, functionDir, python,
                relativePath.isEmpty() ? Optional.empty() : Optional.of(functionDir.resolve(relativePath)));
    }
}
