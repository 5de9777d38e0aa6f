package io.dcf.gateway.backend.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a replica process: SIGTERM (the watcher drains), then SIGKILL once its time is up
 * (blocking); and says what a process's exit status means.
 */
final class ProcessTermination {

    /** The exit status with which a watcher says a call's handler ran on past its timeout and the grace. */
    static final int EXIT_STUCK = 75;

    /** How long a watcher may take to close its server and handler after its own drain. */
    static final Duration CLOSE_MARGIN = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(ProcessTermination.class);

    private ProcessTermination() {
    }

    /** A replica's status message for its process's exit {@code status}. */
    static String describeExit(int status) {
        if (status == EXIT_STUCK) {
            return "restarted: call stuck past its timeout (exit code " + EXIT_STUCK + ")";
        }
        String signal = status > 128 && status < 160 ? SIGNALS.get(status - 128) : null;
        return signal == null ? "exited with code " + status
                : "killed by signal " + (status - 128) + " (" + signal + ", exit code " + status + ")";
    }

    /** The signals that end replicas, by number (Linux); the JVM reports such an end as 128 + the number. */
    private static final java.util.Map<Integer, String> SIGNALS = java.util.Map.of(
            1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL", 6, "SIGABRT", 7, "SIGBUS", 9, "SIGKILL, perhaps out of memory",
            11, "SIGSEGV", 15, "SIGTERM");

    /**
     * Sends SIGTERM, waits until {@code deadlineNanos} (a {@link System#nanoTime()} value) plus
     * {@link #CLOSE_MARGIN}, then SIGKILLs a process that is still there (a stopped, hung or
     * stuck one) and waits for it to go.
     */
    static void terminate(Process p, long deadlineNanos, String what) {
        p.destroy();
        try {
            long waitNanos = Math.max(0, deadlineNanos - System.nanoTime()) + CLOSE_MARGIN.toNanos();
            if (!p.waitFor(waitNanos, TimeUnit.NANOSECONDS)) {
                log.warn("{} pid={} still running after SIGTERM and the drain timeout; killing it", what, p.pid());
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.info("Stopped {} pid={}", what, p.pid());
    }
}
