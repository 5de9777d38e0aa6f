package io.dcf.gateway.build.local;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.build.BuildIds;
import io.dcf.gateway.build.BuildListener;
import io.dcf.gateway.build.BuildReporter;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.files.Files2;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.BuildPhase;
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
    public BuiltFunction build(FunctionSpec spec, Artifact artifact, BuildListener events) {
        String name = spec.getName();
        if (artifact.getSourceCase() == Artifact.SourceCase.SOURCE_NOT_SET && !spec.getImage().isEmpty()) {
            return BuiltFunction.prebuilt(spec.getImage()); // nothing to build; the local backend says it runs no images
        }
        BuildReporter reporter = new BuildReporter(BuildIds.next("local"), name, events);
        String id = reporter.id();
        Path dir = staging.resolve(name + "-" + id);
        long start = System.nanoTime();
        log.info("Build started function={} build={} artifact={}", name, id, artifact.getSourceCase());
        try {
            installer.install(spec, artifact, dir, steps(name, reporter));
        } catch (RuntimeException e) {
            log.info("Build failed function={} build={}: {}", name, id, e.getMessage());
            reporter.failed(ErrorMapping.toStatus(e).getDescription());
            throw e;
        }
        log.info("Build succeeded function={} build={} ms={}", name, id,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        reporter.succeeded();
        return BuiltFunction.localCode(id, dir);
    }

    /** Each step logged and reported (a phase, then what it does as a log line); output lines reported. */
    private static BuildSteps steps(String name, BuildReporter reporter) {
        return new BuildSteps() {
            @Override
            public void step(BuildPhase phase, String what) {
                log.info("Build function={} build={} phase={}", name, reporter.id(), what);
                reporter.phase(phase);
                reporter.log(what);
            }

            @Override
            public void output(String line) {
                log.debug("Build function={} build={} output: {}", name, reporter.id(), line);
                reporter.log(line);
            }
        };
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
