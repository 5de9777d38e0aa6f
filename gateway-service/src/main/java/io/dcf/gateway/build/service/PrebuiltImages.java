package io.dcf.gateway.build.service;

import io.dcf.gateway.build.BuildListener;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;
import io.grpc.Status;

/**
 * The Kubernetes backend's builder when no build-service is configured: a function runs the
 * image its spec names; source is refused, saying how to build it.
 */
public final class PrebuiltImages implements FunctionBuilder {

    @Override
    public BuiltFunction build(FunctionSpec spec, Artifact artifact, BuildListener events) {
        if (artifact.getSourceCase() != Artifact.SourceCase.SOURCE_NOT_SET) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + spec.getName()
                    + ": this gateway has no build-service (dcf.gateway.build-service.address) to build "
                    + artifact.getSourceCase().name().toLowerCase(java.util.Locale.ROOT)
                    + "; build and push an image (dcf function build --builder jib --registry R) and set image:"
                    + " in config.yaml");
        }
        return asIs(spec);
    }

    /** The spec's own image, nothing built; FAILED_PRECONDITION without one. */
    static BuiltFunction asIs(FunctionSpec spec) {
        if (spec.getImage().isBlank()) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + spec.getName()
                    + ": image: missing; the kubernetes backend runs a container image: build and push one and set"
                    + " image: in config.yaml (dcf function build will do both)");
        }
        return BuiltFunction.prebuilt(spec.getImage());
    }

    @Override
    public String buildService() {
        return "";
    }

    @Override
    public void close() {
    }
}
