package io.dcf.gateway.invoke;

import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.ResponseCompleteException;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How the gateway reads a failed call to a replica: whether it is safe to send again
 * (the replica provably never handed it to the handler), and what the caller is told.
 */
final class ReplicaFailures {

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
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnprocessedRequestException) {
                return true;
            }
        }
        String description = status.getDescription();
        return description != null && description.startsWith("function ")
               && (description.endsWith(" is draining") || description.endsWith(" is still loading"));
    }

    /**
     * The error the caller sees. A connection lost in the middle of a call (the replica
     * crashed or was killed) reaches the client library as UNKNOWN without a message;
     * the caller gets UNAVAILABLE saying what happened instead. Anything else is kept.
     */
    static Throwable forCaller(Throwable error, String function) {
        Status status = Status.fromThrowable(error);
        boolean lost = false;
        for (Throwable t = error; t != null; t = t.getCause()) {
            lost |= t instanceof ClosedSessionException || t instanceof ClosedStreamException;
        }
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
}
