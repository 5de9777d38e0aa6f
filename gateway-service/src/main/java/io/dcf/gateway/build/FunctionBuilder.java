package io.dcf.gateway.build;

import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;

/**
 * Turns what a Deploy or Update carries (an {@link Artifact}: {@code source_zip}, {@code jar}
 * or {@code local_path}) into something a backend runs: a {@link BuiltFunction}. Called by
 * {@code FunctionService} before the backend, so no backend ever sees raw source.
 * Implementations: {@code LocalFunctionBuilder} (javac and a venv into a staging directory
 * under DCF_HOME) and {@code BuildServiceFunctionBuilder} (an image built by build-service).
 * Every build has an id, logged with the function and each phase.
 * Methods may block (compilers, pip, remote calls): never call them on an event loop.
 */
public interface FunctionBuilder extends AutoCloseable {

    /**
     * Builds {@code artifact} for {@code spec} (already normalized), telling {@code events} what
     * happens: phases, the log lines that matter (compiler errors, pip's output), progress, and the
     * build's {@code done} event (none when nothing was built).
     *
     * @throws InvalidFunctionSpecException when the code is unusable (does not compile, no handler file, ...)
     */
    BuiltFunction build(FunctionSpec spec, Artifact artifact, BuildListener events);

    /** {@link #build(FunctionSpec, Artifact, BuildListener)} with no one listening. */
    default BuiltFunction build(FunctionSpec spec, Artifact artifact) {
        return build(spec, artifact, BuildListener.NONE);
    }

    /**
     * Where clients reach the build-service that builds for this gateway ({@code host:port}, what
     * {@code Info.build_service} reports); empty when the gateway builds by itself.
     */
    String buildService();

    /** Releases the builder's channels and threads. */
    @Override
    void close();
}
