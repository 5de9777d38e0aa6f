package io.dcf.sdk;

/**
 * The status a {@link FunctionException} gives the caller. Each maps to the gRPC
 * code of the same name and, over HTTP, to the status the gateway's error table
 * gives that code (for example {@code INVALID_ARGUMENT} is 400).
 */
public enum ErrorCode {
    /** The input is malformed (HTTP 400). */
    INVALID_ARGUMENT,
    /** Something the input names does not exist (HTTP 404). */
    NOT_FOUND,
    /** The input conflicts with existing state (HTTP 409). */
    ALREADY_EXISTS,
    /** The caller is not allowed (HTTP 403). */
    PERMISSION_DENIED,
    /** The caller is not authenticated (HTTP 401). */
    UNAUTHENTICATED,
    /** A quota or capacity is exhausted (HTTP 429). */
    RESOURCE_EXHAUSTED,
    /** The system is not in a state to serve this input (HTTP 400 in gRPC terms; 500 over HTTP). */
    FAILED_PRECONDITION,
    /** Not implemented by this handler (HTTP 501). */
    UNIMPLEMENTED,
    /** Temporarily unavailable; the caller may retry (HTTP 503). */
    UNAVAILABLE,
    /** A failure of the handler itself (HTTP 500). */
    INTERNAL
}
