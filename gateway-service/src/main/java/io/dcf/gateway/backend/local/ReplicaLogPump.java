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
 * the replica never blocks on a full pipe. A pooled process's output moves to its
 * function's log once a replica takes it ({@link #redirect}).
 */
final class ReplicaLogPump implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaLogPump.class);

    private final InputStream output;
    private final LogRotation rotation;
    private volatile Path target;
    /** The file written now; the pump's thread only. */
    private Path logFile;

    private ReplicaLogPump(InputStream output, Path logFile, LogRotation rotation) {
        this.output = output;
        this.target = logFile;
        this.rotation = rotation;
    }

    /** Starts copying {@code process}'s output into {@code logFile}; the thread ends with the output. */
    static ReplicaLogPump start(Process process, Path logFile, LogRotation rotation, String threadName) {
        ReplicaLogPump pump = new ReplicaLogPump(process.getInputStream(), logFile, rotation);
        Thread thread = new Thread(pump, threadName);
        thread.setDaemon(true);
        thread.start();
        return pump;
    }

    /** The output from now on (from the next bytes read) goes to {@code logFile}. */
    void redirect(Path logFile) {
        this.target = logFile;
    }

    @Override
    public void run() {
        RotatingFile file = null;
        try (InputStream in = output) {
            logFile = target;
            file = open();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (target != logFile) {
                    close(file);
                    logFile = target;
                    file = open();
                }
                if (file != null && !write(file, buffer, n)) {
                    file = null;
                }
            }
        } catch (IOException e) {
            log.debug("Output of {} ended: {}", logFile, e.getMessage());
        } finally {
            close(file);
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

    private void close(RotatingFile file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                log.warn("Cannot close {}: {}", logFile, e.getMessage());
            }
        }
    }

    private boolean write(RotatingFile file, byte[] buffer, int n) {
        try {
            file.write(buffer, 0, n);
            return true;
        } catch (IOException e) {
            log.warn("Cannot write {}: {}; the rest of this replica's output is dropped", logFile, e.getMessage());
            close(file);
            return false;
        }
    }
}
