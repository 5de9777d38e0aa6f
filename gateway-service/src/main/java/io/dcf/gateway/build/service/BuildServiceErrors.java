package io.dcf.gateway.build.service;

import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * What a failed build tells the gateway's caller: the function, the build's id, build-service's
 * own message, and a code the client can act on. Never build-service's internals.
 */
final class BuildServiceErrors {

    private BuildServiceErrors() {
    }

    /** The upload failed or was refused. */
    static DcfException upload(String function, BuildServiceSettings settings, StatusRuntimeException e) {
        return call(function, "uploading the code to build-service", settings, e);
    }

    /** Following the build's events failed. */
    static DcfException events(String function, String id, BuildServiceSettings settings, StatusRuntimeException e) {
        return call(function, "build " + id, settings, e);
    }

    /** The build ended without an image. */
    static DcfException ended(String function, BuildStatus status) {
        String message = status.getMessage().isBlank() ? "no reason given" : status.getMessage();
        if (status.getPhase() == BuildPhase.BUILD_PHASE_CANCELLED) {
            return new DcfException(Status.Code.ABORTED, "function " + function + ": build " + status.getId()
                    + " was cancelled: " + message);
        }
        return new DcfException(Status.Code.FAILED_PRECONDITION, "function " + function + ": build "
                + status.getId() + " failed: " + message);
    }

    private static DcfException call(String function, String what, BuildServiceSettings settings,
                                     StatusRuntimeException e) {
        Status status = e.getStatus();
        String detail = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        String prefix = "function " + function + ": " + what + ": ";
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, RESOURCE_EXHAUSTED, NOT_FOUND, ABORTED ->
                    new DcfException(status.getCode(), prefix + detail);
            case DEADLINE_EXCEEDED -> new DcfException(Status.Code.DEADLINE_EXCEEDED, prefix + "not done within "
                    + settings.timeout().toSeconds() + " s (dcf.gateway.build-service.timeout); cancelled");
            case UNAUTHENTICATED, PERMISSION_DENIED -> new DcfException(Status.Code.FAILED_PRECONDITION, prefix
                    + "build-service at " + settings.address() + " refused the gateway's token (" + detail
                    + "); give both the same token");
            case UNAVAILABLE, CANCELLED, UNKNOWN -> new DcfException(Status.Code.UNAVAILABLE, prefix
                    + "build-service at " + settings.address() + " is unavailable: " + detail);
            default -> new DcfException(status.getCode(), prefix + "build-service answered " + status.getCode()
                    + ": " + detail);
        };
    }
}
