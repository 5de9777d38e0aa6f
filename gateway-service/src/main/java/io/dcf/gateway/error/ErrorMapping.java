package io.dcf.gateway.error;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.RequestTimeoutException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where errors become statuses: domain exceptions map to gRPC codes,
 * and gRPC codes map to HTTP statuses. Messages of unexpected exceptions are not
 * shown to callers.
 */
public final class ErrorMapping {

    private static final Map<Status.Code, HttpStatus> HTTP = new EnumMap<>(Status.Code.class);

    static {
        HTTP.put(Status.Code.OK, HttpStatus.OK);
        HTTP.put(Status.Code.NOT_FOUND, HttpStatus.NOT_FOUND);
        HTTP.put(Status.Code.ALREADY_EXISTS, HttpStatus.CONFLICT);
        HTTP.put(Status.Code.INVALID_ARGUMENT, HttpStatus.BAD_REQUEST);
        HTTP.put(Status.Code.UNAUTHENTICATED, HttpStatus.UNAUTHORIZED);
        HTTP.put(Status.Code.PERMISSION_DENIED, HttpStatus.FORBIDDEN);
        HTTP.put(Status.Code.RESOURCE_EXHAUSTED, HttpStatus.TOO_MANY_REQUESTS);
        HTTP.put(Status.Code.DEADLINE_EXCEEDED, HttpStatus.GATEWAY_TIMEOUT);
        HTTP.put(Status.Code.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE);
        HTTP.put(Status.Code.UNIMPLEMENTED, HttpStatus.NOT_IMPLEMENTED);
        HTTP.put(Status.Code.CANCELLED, HttpStatus.valueOf(499)); // the caller went away (nginx's "client closed")
    }

    private ErrorMapping() {
    }

    /** The gRPC status for any failure; unexpected ones become INTERNAL without internals. */
    public static Status toStatus(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof DcfException dcf) {
            return Status.fromCode(dcf.code()).withDescription(dcf.getMessage());
        }
        if (cause instanceof StatusRuntimeException sre) {
            return sre.getStatus();
        }
        if (cause instanceof StatusException se) {
            return se.getStatus();
        }
        if (cause instanceof InvalidProtocolBufferException e) {
            return Status.INVALID_ARGUMENT.withDescription("the request is not a valid protobuf message ("
                    + e.getMessage() + ")");
        }
        if (cause instanceof ContentTooLargeException) {
            return Status.RESOURCE_EXHAUSTED.withDescription("request body too large");
        }
        if (cause instanceof TimeoutException || cause instanceof RequestTimeoutException) {
            return Status.DEADLINE_EXCEEDED.withDescription("request timed out");
        }
        return Status.INTERNAL.withDescription("internal error (" + cause.getClass().getSimpleName() + ")");
    }

    /** The HTTP status for a gRPC code, by the table in ARCHITECTURE.md. */
    public static HttpStatus httpStatus(Status.Code code) {
        return HTTP.getOrDefault(code, HttpStatus.INTERNAL_SERVER_ERROR);
    }

    /** The HTTP code for any failure: its gRPC status's code through the table (the {@code code} label of metrics). */
    public static int httpCode(Throwable error) {
        return httpStatus(toStatus(error).getCode()).code();
    }

    /**
     * The gRPC code an HTTP status stands for, by the same table read backwards (413 is
     * RESOURCE_EXHAUSTED, a body over the limit); INTERNAL when none does.
     */
    public static Status.Code grpcCode(HttpStatus status) {
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            return Status.Code.RESOURCE_EXHAUSTED;
        }
        return HTTP.entrySet().stream().filter(e -> e.getValue().equals(status)).map(Map.Entry::getKey)
                   .findFirst().orElse(Status.Code.INTERNAL);
    }

    /** Strips CompletionException and ExecutionException wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
