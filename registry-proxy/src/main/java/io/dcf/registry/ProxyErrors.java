package io.dcf.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.util.Exceptions;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * The one table from a failure to what the client sees: an HTTP status and an OCI Distribution
 * error body ({@code {"errors":[{"code":..., "message":...}]}}) naming the upstream or the digest,
 * never a stack trace.
 */
final class ProxyErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProxyErrors() {
    }

    /** The status and message for {@code cause}; {@code upstream} names the registry in the message. */
    static Failure of(Throwable cause, String upstream) {
        Throwable c = Exceptions.peel(cause);
        if (c instanceof UnprocessedRequestException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof DigestMismatchException e) {
            return new Failure(HttpStatus.BAD_GATEWAY, "DIGEST_INVALID", "digest_mismatch", e.getMessage());
        }
        if (c instanceof UpstreamAuth.UpstreamAuthException e) {
            return new Failure(HttpStatus.BAD_GATEWAY, "UNAUTHORIZED", "auth",
                    "the proxy could not authenticate to " + upstream + ": " + e.getMessage());
        }
        if (c instanceof ResponseTimeoutException || c instanceof TimeoutException) {
            return new Failure(HttpStatus.GATEWAY_TIMEOUT, "UNAVAILABLE", "timeout",
                    "the upstream registry " + upstream + " did not answer in time");
        }
        if (c instanceof ConnectException) {
            return new Failure(HttpStatus.BAD_GATEWAY, "UNAVAILABLE", "unreachable",
                    "the upstream registry " + upstream + " is unreachable: " + c.getMessage());
        }
        return new Failure(HttpStatus.BAD_GATEWAY, "UNAVAILABLE", "unreachable",
                "the upstream registry " + upstream + " failed: " + c.getClass().getSimpleName()
                        + (c.getMessage() == null ? "" : ": " + c.getMessage()));
    }

    /**
     * @param code   the OCI error code
     * @param reason the {@code reason} tag of the upstream-errors metric
     */
    record Failure(HttpStatus status, String code, String reason, String message) {
        HttpResponse response() {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("errors").addObject().put("code", code).put("message", message);
            return HttpResponse.of(status, MediaType.JSON_UTF_8, body.toString());
        }
    }

    /** Upstream bytes that do not hash to the digest asked for: discarded, never served. */
    static final class DigestMismatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DigestMismatchException(String digest, String actual) {
            super("the upstream's bytes for " + digest + " hash to sha256:" + actual
                    + "; they were discarded, not cached and not served", null, false, false);
        }
    }
}
