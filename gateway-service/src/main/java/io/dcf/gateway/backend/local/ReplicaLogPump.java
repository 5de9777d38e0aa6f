package io.dcf.gateway.backend.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a replica's output (stdout and stderr, merged) into its size-rotated log file
 * on a thread of its own, until the process and whatever inherited its output have
 * closed it. If the file cannot be written, the output is still read (and dropped), so
 * the replica never blocks on a full pipe.
 */
final class ReplicaLogPump implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaLogPump.class);

    private final InputStream output;
    private final Path logFile;
    private final LogRotation rotation;

    private ReplicaLogPump(InputStream output, Path logFile, LogRotation rotation) {
        this.output = output;
        this.logFile = logFile;
        this.rotation = rotation;
    }

    /** Starts copying {@code process}'s output into {@code logFile}; the thread ends with the output. */
    static Thread start(Process process, Path logFile, LogRotation rotation, String threadName) {
        Thread thread = new Thread(new ReplicaLogPump(process.getInputStream(), logFile, rotation), threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        RotatingFile file = null;
        try (InputStream in = output) {
            file = open();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (file != null && !write(file, buffer, n)) {
                    file = null;
                }
            }
        } catch (IOException e) {
            log.debug("Output of {} ended: {}", logFile, e.getMessage());
        } finally {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    log.warn("Cannot close {}: {}", logFile, e.getMessage());
                }
            }
        }
    }

    private RotatingFile open() {
        try {
            return new RotatingFile(logFile, rotation);
        } catch (IOException e) {
            log.warn("Cannot write {}: {}; this replica's output is dropped", logFile, e.getMessage());
            return null;
        }
    }

    private boolean write(RotatingFile file, byte[] buffer, int n) {
        try {
            file.write(buffer, 0, n);
            return true;
        } catch (IOException e) {
            log.warn("Cannot write {}: {}; the rest of this replica's output is dropped", logFile, e.getMessage());
            try {
                file.close();
            } catch (IOException ignored) {
                // already failing
            }
            return false;
        }
    }
}
