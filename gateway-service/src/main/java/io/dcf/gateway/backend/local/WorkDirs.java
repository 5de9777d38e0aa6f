package io.dcf.gateway.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A replica's own working directory (its HOME and TMPDIR): mode 0700, owned by the user it runs as. */
final class WorkDirs {

    private WorkDirs() {
    }

    static void prepare(Path workDir, ReplicaIsolation isolation) throws IOException {
        Files.createDirectories(workDir);
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
        if (isolation.runAs().isPresent()) {
            ReplicaIsolation.RunAs user = isolation.runAs().get();
            Files.setAttribute(workDir, "unix:uid", user.uid());
            Files.setAttribute(workDir, "unix:gid", user.gid());
        }
    }
}
