package io.dcf.build.service;

import io.dcf.common.FileTrees;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes a build's work directory (links are removed, never followed); a failure is logged, not thrown. */
final class WorkDirs {

    private static final Logger log = LoggerFactory.getLogger(WorkDirs.class);

    private WorkDirs() {
    }

    static void delete(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            log.warn("Cannot delete the build directory {}: {}", dir, e.toString());
        }
    }
}
