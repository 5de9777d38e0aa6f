package io.dcf.gateway.backend.local;

import java.nio.file.Path;
import java.util.List;

/**
 * A function's code as laid out on disk for one generation.
 *
 * @param classpath   Java: jars and directories holding the handler; Python: the source directory
 * @param functionDir the handler's home directory (its files, models, requirements.txt)
 */
record InstalledArtifact(List<Path> classpath, Path functionDir) {
    InstalledArtifact {
        classpath = List.copyOf(classpath);
    }
}
