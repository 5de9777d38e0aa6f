package io.dcf.build.service;

import io.dcf.build.bundle.BundleExtractor;
import io.grpc.Status;

/** What a {@code Build} call uses: the builds, the workers, the checks, the extractor, the upload limit. */
record BuildServices(BuildRegistry registry, BuildRunner runner, BuilderChoice choice, BuildRequests requests,
                     BundleExtractor extractor, Limits limits) {

    /** @param maxUpload the largest bundle upload in bytes */
    record Limits(long maxUpload) {
    }

    /** FAILED_PRECONDITION naming the function when {@code builder} is not configured. */
    void requireBuilder(String function, String builder, String why) {
        if (!runner.has(builder)) {
            throw new BuildServiceException(Status.Code.FAILED_PRECONDITION, "function " + function + ": needs the "
                    + builder + " builder (" + why + "), which is not configured in this build-service"
                    + (builder.equals(BuilderChoice.KANIKO) ? " (dcf.build.kaniko; see docs/build-service.md)" : ""));
        }
    }
}
