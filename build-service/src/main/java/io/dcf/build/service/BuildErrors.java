package io.dcf.build.service;

import io.dcf.build.bundle.BundleException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from build-service's exceptions to gRPC statuses (REST gets the HTTP status
 * of the code through Armeria's transcoding). Unexpected exceptions become INTERNAL with a
 * message that points at the log, never a stack trace.
 */
final class BuildErrors {

    private static final Logger log = LoggerFactory.getLogger(BuildErrors.class);

    private BuildErrors() {
    }

    static Status toStatus(Throwable t) {
        if (t instanceof BuildServiceException e) {
            return Status.fromCode(e.code()).withDescription(e.getMessage());
        }
        if (t instanceof BundleException e) {
            return (e.limit() ? Status.RESOURCE_EXHAUSTED : Status.INVALID_ARGUMENT).withDescription(e.getMessage());
        }
        if (t instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(t.getMessage());
        }
        if (t instanceof StatusRuntimeException || t instanceof StatusException) {
            return Status.fromThrowable(t);
        }
        log.error("Unexpected error in a Builder call", t);
        return Status.INTERNAL.withDescription("build-service: internal error (" + t.getClass().getSimpleName()
                + "); its log has the details");
    }
}
