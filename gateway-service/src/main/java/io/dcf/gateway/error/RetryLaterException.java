package io.dcf.gateway.error;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import java.time.Duration;

/**
 * The function exists and will serve, but not in time for this call (no replica became ready
 * while it waited): UNAVAILABLE, and over HTTP a 503 with {@code Retry-After}.
 */
public final class RetryLaterException extends DcfException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RetryLaterException(String message, Duration retryAfter) {
        super(Status.Code.UNAVAILABLE, message);
        this.retryAfter = requireNonNull(retryAfter, "retryAfter");
    }

    /** When the caller may try again (whole seconds in the {@code Retry-After} header, at least 1). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
