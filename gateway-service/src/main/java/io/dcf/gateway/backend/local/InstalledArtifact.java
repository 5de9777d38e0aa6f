package io.dcf.gateway.backend.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A function's code as laid out on disk for one generation.
 *
 * @param classpath   Java: jars and directories holding the handler; Python: the source directory
 * @param functionDir the handler's home directory (its files, models, requirements.txt)
 * @param python      Python: the function's own virtual environment's python, when it has one
 */
record InstalledArtifact(List<Path> classpath, Path functionDir, Optional<Path> python) {
    InstalledArtifact {
        classpath = List.copyOf(classpath);
    }

    InstalledArtifact(List<Path> classpath, Path functionDir) {
        this(classpath, functionDir, Optional.empty());
    }
}
