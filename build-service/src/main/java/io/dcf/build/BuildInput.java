package io.dcf.build;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.FunctionSpec;
import java.nio.file.Path;

/**
 * What a builder builds.
 *
 * @param id the build's id (names Jobs, tags and log lines)
 * @param spec the function's settings (runtime, handler, build_args, build_packages...)
 * @param sourceDir the bundle, extracted and checked: the function's directory; read only
 * @param workDir a directory of this build's own for anything the builder writes
 *     (compiled classes, a Jib cache, a context archive); deleted after the build
 * @param repository where to push, {@code registry/name} without tag or digest
 * @param tag the tag pushed beside the digest
 */
public record BuildInput(String id, FunctionSpec spec, Path sourceDir, Path workDir, String repository, String tag) {

    public BuildInput {
        requireNonNull(id, "id");
        requireNonNull(spec, "spec");
        requireNonNull(sourceDir, "sourceDir");
        requireNonNull(workDir, "workDir");
        requireNonNull(repository, "repository");
        requireNonNull(tag, "tag");
    }

    /** The function's name. */
    public String function() {
        return spec.getName();
    }
}
