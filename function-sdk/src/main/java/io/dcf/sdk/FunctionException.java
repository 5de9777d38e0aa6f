package io.dcf.sdk;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by a handler to fail a call with a chosen status and message. The caller
 * sees the code and the message, never a stack trace. Any other exception is
 * reported as {@link ErrorCode#INTERNAL} with its message.
 */
public class FunctionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public FunctionException(ErrorCode code, String message) {
        super(message);
        this.code = requireNonNull(code, "code");
    }

    public FunctionException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireNonNull(code, "code");
    }

    /** The status the caller sees. */
    public ErrorCode code() {
        return code;
    }
}
