package io.dcf.gateway.build.local;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.build.BuildIds;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.files.Files2;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.FunctionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds in the gateway itself (local mode): unzips or copies the code, compiles Java with
 * javac, installs Python requirements into a venv, all into {@code DCF_HOME/staging/<function>-<build>/},
 * which the local backend then moves into the function's generation directory (a rename on
 * the same file system). Leftovers of a gateway that stopped mid-build are removed at start.
 */
public final class LocalFunctionBuilder implements FunctionBuilder {

    private static final Logger log = LoggerFactory.getLogger(LocalFunctionBuilder.class);

    /** The directory under DCF_HOME builds are staged in. */
    public static final String STAGING = "staging";

    private final Path staging;
    private final ArtifactInstaller installer;

    private LocalFunctionBuilder(Path staging, ArtifactInstaller installer) {
        this.staging = staging;
        this.installer = installer;
    }

    /**
     * A builder staging under {@code home} (which the gateway has locked).
     *
     * @param python finds the Python venvs are made with (asked only when one is needed)
     * @param limits limits on the code one build lays out, and the bytes all builds share
     */
    public static LocalFunctionBuilder create(Path home, Supplier<String> python, CodeLimits limits) {
        requireNonNull(home, "home");
        Path staging = home.resolve(STAGING);
        Files2.deleteTree(staging);
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + staging, e);
        }
        return new LocalFunctionBuilder(staging,
                new ArtifactInstaller(new JavaSourceCompiler(), requireNonNull(python, "python"), home, limits));
    }

    @Override
    public BuiltFunction build(FunctionSpec spec, Artifact artifact) {
        String name = spec.getName();
        if (artifact.getSourceCase() == Artifact.SourceCase.SOURCE_NOT_SET && !spec.getImage().isEmpty()) {
            return BuiltFunction.prebuilt(spec.getImage()); // nothing to build; the local backend says it runs no images
        }
        String id = BuildIds.next("local");
        Path dir = staging.resolve(name + "-" + id);
        long start = System.nanoTime();
        log.info("Build started function={} build={} artifact={}", name, id, artifact.getSourceCase());
        try {
            installer.install(spec, artifact, dir,
                    phase -> log.info("Build function={} build={} phase={}", name, id, phase));
        } catch (RuntimeException e) {
            log.info("Build failed function={} build={}: {}", name, id, e.getMessage());
            throw e;
        }
        log.info("Build succeeded function={} build={} ms={}", name, id,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return BuiltFunction.localCode(id, dir);
    }

    /** Local builds are made here: no build-service. */
    @Override
    public String buildService() {
        return "";
    }

    @Override
    public void close() {
    }
}
