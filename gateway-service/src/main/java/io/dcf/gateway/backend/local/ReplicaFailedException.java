package io.dcf.gateway.backend.local;

/** A replica exited before it became ready; carries the end of its log. */
final class ReplicaFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String logTail;

    ReplicaFailedException(String message, String logTail) {
        super(message);
        this.logTail = logTail;
    }

    String logTail() {
        return logTail;
    }
}
