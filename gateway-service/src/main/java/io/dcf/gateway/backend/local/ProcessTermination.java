package io.dcf.gateway.backend.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends a replica process: SIGTERM (the watcher drains), then SIGKILL once its time is up. Blocking. */
final class ProcessTermination {

    /** How long a watcher may take to close its server and handler after its own drain. */
    static final Duration CLOSE_MARGIN = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(ProcessTermination.class);

    private ProcessTermination() {
    }

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
