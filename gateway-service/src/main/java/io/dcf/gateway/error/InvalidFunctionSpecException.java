package io.dcf.gateway.error;

import io.grpc.Status;

/** A function's spec or code is unusable; the message says which field or file and why. */
public final class InvalidFunctionSpecException extends DcfException {

    private static final long serialVersionUID = 1L;

    public InvalidFunctionSpecException(String message) {
        super(Status.Code.INVALID_ARGUMENT, message);
    }
}
