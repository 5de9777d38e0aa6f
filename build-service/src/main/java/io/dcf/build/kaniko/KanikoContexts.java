package io.dcf.build.kaniko;

import io.dcf.build.BuildFailedException;
import io.dcf.build.BuildInput;
import io.dcf.runtimes.FunctionRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Kaniko build's context, written into the build's work directory as
 * {@value #ARCHIVE}: the function's directory; its own {@code Dockerfile}, or else its
 * runtime's template Dockerfile; and what the templates COPY besides the function: the Python
 * watcher as {@code dcf-watcher/} (runtimes whose watcher is python) or the Go SDK as
 * {@code sdk/} (go).
 */
final class KanikoContexts {

    static final String ARCHIVE = "kaniko-context.tar.gz";
    static final String DOCKERFILE = "Dockerfile";

    /**
     * A context ready to serve.
     *
     * @param archive       the tar.gz
     * @param bytes         its size
     * @param ownDockerfile whether the function brought its own Dockerfile
     */
    record Prepared(Path archive, long bytes, boolean ownDockerfile) {
    }

    private final Path runtimes;

    /** Contexts built with the runtime files under {@code runtimes} (see {@code RuntimeFiles}). */
    KanikoContexts(Path runtimes) {
        this.runtimes = runtimes;
    }

    /**
     * Writes the context of {@code input}.
     *
     * @param runtime the function's runtime, or null when list.yml does not know it
     * @throws BuildFailedException when there is no Dockerfile to build with
     */
    Prepared prepare(BuildInput input, FunctionRuntime runtime) {
        boolean own = Files.isRegularFile(input.sourceDir().resolve(DOCKERFILE));
        ContextArchive archive = ContextArchive.of(input.sourceDir());
        if (!own) {
            archive.with(DOCKERFILE, template(input, runtime));
        }
        if (runtime != null && runtime.watcher() == FunctionRuntime.Watcher.PYTHON) {
            archive.with("dcf-watcher", runtimes.resolve("python").resolve("watcher"));
        } else if (runtime != null && runtime.watcher() == FunctionRuntime.Watcher.GO) {
            archive.with("sdk", runtimes.resolve(runtime.dir()).resolve("sdk"));
        }
        Path target = input.workDir().resolve(ARCHIVE);
        try {
            return new Prepared(target, archive.writeTo(target), own);
        } catch (IOException e) {
            throw new UncheckedIOException("function " + input.function() + ": cannot write the build context "
                    + target + ": " + e.getMessage(), e);
        }
    }

    private Path template(BuildInput input, FunctionRuntime runtime) {
        if (runtime == null) {
            throw new BuildFailedException("function " + input.function() + ": runtime '" + input.spec().getRuntime()
                    + "' has no template Dockerfile; add a Dockerfile to the function's directory");
        }
        Path template = runtimes.resolve(runtime.dir()).resolve("template").resolve(DOCKERFILE);
        if (!Files.isRegularFile(template)) {
            throw new BuildFailedException("function " + input.function() + ": runtime " + runtime.name()
                    + " has no template Dockerfile (build it with the jib builder, or add a Dockerfile to the"
                    + " function's directory)");
        }
        return template;
    }
}
