package io.dcf.gateway.invoke;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.ResponseCompleteException;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/**
 * How the gateway reads a failed call to a replica: whether it is safe to send again
 * (the replica provably never handed it to the handler), whether it says something about
 * the replica's health, and what the caller is told. Decided by status codes, typed
 * causes and the watcher's {@code dcf-refused} trailer, never by message text.
 */
final class ReplicaFailures {

    /**
     * Set by both watchers on a call they refused before running the handler: {@code loading},
     * {@code draining} or {@code at-limit} (docs/watcher-contract.md).
     */
    static final Metadata.Key<String> REFUSED = Metadata.Key.of("dcf-refused", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> RESEND_REFUSALS = Set.of("loading", "draining");

    private ReplicaFailures() {
    }

    /**
     * True when the request never reached a handler: the connection to the replica could
     * not be used (Armeria's UnprocessedRequestException), or the replica answered that it
     * is draining or still loading (the watcher rejects those before running the handler).
     */
    static boolean notProcessed(Throwable error) {
        Status status = Status.fromThrowable(error);
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return false;
        }
        if (has(error, UnprocessedRequestException.class)) {
            return true;
        }
        Metadata trailers = Status.trailersFromThrowable(error);
        String refusal = trailers == null ? null : trailers.get(REFUSED);
        return refusal != null && RESEND_REFUSALS.contains(refusal);
    }

    /**
     * What {@code error} says about the replica's health: null when the replica answered
     * (whatever its handler did: an error, a timeout its watcher reported), else why it is
     * suspect: the connection could not be used or broke during the call, or no answer
     * came before the gateway's deadline (which is later than the watcher's own timeout).
     */
    static String replicaFault(Throwable error) {
        if (has(error, UnprocessedRequestException.class)) {
            return "the connection to it failed";
        }
        if (has(error, ClosedSessionException.class) || has(error, ClosedStreamException.class)) {
            return "its connection closed during the call";
        }
        if (Status.fromThrowable(error).getCode() == Status.Code.DEADLINE_EXCEEDED
                && has(error, ResponseTimeoutException.class)) {
            return "it gave no answer, not even its own timeout, before the gateway's deadline";
        }
        return null;
    }

    /**
     * The error the caller sees. A connection lost in the middle of a call (the replica
     * crashed or was killed) reaches the client library as UNKNOWN without a message;
     * the caller gets UNAVAILABLE saying what happened instead. Anything else is kept.
     */
    static Throwable forCaller(Throwable error, String function) {
        Status status = Status.fromThrowable(error);
        boolean lost = has(error, ClosedSessionException.class) || has(error, ClosedStreamException.class);
        String description = status.getDescription();
        if (lost || (status.getCode() == Status.Code.UNKNOWN && (description == null || description.isEmpty()))) {
            return new StatusRuntimeException(Status.UNAVAILABLE.withDescription("the replica of function " + function
                    + " closed its connection during the call (did the handler crash? see: dcf function logs "
                    + function + ")"));
        }
        return error;
    }

    /**
     * The cause with which a stream's request side ends. When a replica ends a stream
     * (RESOURCE_EXHAUSTED, a timeout, a handler error) or the gateway cancels it while
     * requests may still follow, Armeria's gRPC client aborts the request with the call's
     * status, which its HTTP/2 layer logs as "Unexpected exception" with a stack trace of
     * about 8 KB per stream. Both are expected ends: the request side is closed as
     * "response complete" instead, which resets the stream (CANCEL) without a log line.
     * The caller still gets the call's status; nothing else is changed.
     */
    static Throwable quietAbort(Throwable cause) {
        return cause instanceof StatusRuntimeException ? ResponseCompleteException.get() : cause;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
