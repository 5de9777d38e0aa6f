package io.dcf.build.service;

import io.grpc.Status;

/** A refused request, with the gRPC code it maps to ({@link BuildErrors}); the message names the build, function or field. */
public final class BuildServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Status.Code code;

    public BuildServiceException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    static BuildServiceException notFound(String id) {
        return new BuildServiceException(Status.Code.NOT_FOUND, "build " + id + ": not found (builds are forgotten"
                + " oldest first past dcf.build.remembered)");
    }

    static BuildServiceException invalid(String message) {
        return new BuildServiceException(Status.Code.INVALID_ARGUMENT, message);
    }
}
