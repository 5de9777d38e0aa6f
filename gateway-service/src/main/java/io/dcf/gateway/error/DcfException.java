package io.dcf.gateway.error;

import io.grpc.Status;

/** A domain error with the gRPC status it maps to. Its message is safe to show to callers. */
public class DcfException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status.Code code;

    public DcfException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public DcfException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The gRPC code this error maps to. */
    public Status.Code code() {
        return code;
    }
}
