package io.dcf.gateway.invoke;

import io.dcf.gateway.logging.LogWindow;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the expected ends of calls and streams (refused at the concurrency limit, timed
 * out, cancelled by the caller or for idleness) as one line without a stack trace, at most
 * once per function and code per window; the next line counts what the window held back.
 * A burst of 10,000 refusals writes one line per 10 s, not 10,000.
 */
final class ExpectedEndLog {

    static final Set<Status.Code> EXPECTED = Set.of(
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
    /** Function names are bounded by the deployed functions; past this, old entries are dropped. */
    private static final int MAX_KEYS = 4096;
    private static final Logger log = LoggerFactory.getLogger(ExpectedEndLog.class);

    private final Duration window;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, LogWindow> windows = new ConcurrentHashMap<>();

    ExpectedEndLog(Duration window, LongSupplier nanoClock) {
        this.window = window;
        this.nanoClock = nanoClock;
    }

    /** Notes that a call to {@code function} ended with {@code status}; returns true when a line was logged. */
    boolean record(String function, Status status) {
        if (!EXPECTED.contains(status.getCode())) {
            return false;
        }
        if (windows.size() > MAX_KEYS) {
            windows.clear();
        }
        LogWindow lines = windows.computeIfAbsent(function + ' ' + status.getCode(),
                k -> new LogWindow(window, nanoClock));
        long heldBack = lines.admit();
        if (heldBack < 0) {
            return false;
        }
        if (heldBack == 0) {
            log.info("function={} call ended {}: {}", function, status.getCode(), status.getDescription());
        } else {
            log.info("function={} call ended {}: {} ({} more like it not logged in the last {} s)", function,
                    status.getCode(), status.getDescription(), heldBack, lines.seconds());
        }
        return true;
    }
}
