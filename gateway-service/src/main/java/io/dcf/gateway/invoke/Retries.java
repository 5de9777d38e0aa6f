package io.dcf.gateway.invoke;

import com.linecorp.armeria.client.UnprocessedRequestException;
import io.grpc.Status;

/** Which failed calls are safe to send again: those a replica provably never handed to the handler. */
final class Retries {

    private Retries() {
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
}
