package io.dcf.build.service;

import static java.util.Objects.requireNonNull;

import io.dcf.build.ImageBuilder;
import io.dcf.build.bundle.BundleExtractor;
import io.dcf.build.model.AddLayerUploads;
import io.dcf.build.bundle.BundleLimits;
import io.dcf.runtimes.RuntimeCatalog;
import io.grpc.BindableService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build service's core: the builds it remembers, the workers that run them, and the
 * {@code dcf.v1.Builder} gRPC service over them. Builds live in {@code <work-dir>/builds/<id>},
 * emptied at start and on {@link #close()}.
 */
public final class Builds implements AutoCloseable {

    private final Path buildsDir;
    private final BuildRegistry registry;
    private final BuildRunner runner;
    private final BuildGrpcService grpc;

    /**
     * Settings of the core.
     *
     * @param workDir      the service's directory (builds go to its {@code builds/})
     * @param registry     the default registry (empty: requests name their repository)
     * @param concurrency  builds run at once
     * @param maxQueued    builds waiting for a worker at most
     * @param remembered   builds kept for Get, List, Log and Events
     * @param maxEvents    events kept per build
     * @param maxLogLines  log lines kept per build
     * @param buildTimeout the longest one build may run
     * @param maxUpload    the largest bundle upload in bytes
     * @param bundle       what one bundle may unpack to
     */
    public record Settings(Path workDir, String registry, int concurrency, int maxQueued, int remembered, int maxEvents,
                           int maxLogLines, Duration buildTimeout, long maxUpload, BundleLimits bundle) {
        public Settings {
            requireNonNull(workDir, "workDir");
            requireNonNull(registry, "registry");
            requireNonNull(buildTimeout, "buildTimeout");
            requireNonNull(bundle, "bundle");
        }
    }

    private Builds(Settings settings, Map<String, ImageBuilder> builders, RuntimeCatalog catalog,
                   Optional<AddLayerUploads> layers, Clock clock) {
        this.buildsDir = settings.workDir().resolve("builds");
        WorkDirs.delete(buildsDir);
        try {
            Files.createDirectories(buildsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the build directory " + buildsDir + " (dcf.build.work-dir)", e);
        }
        this.registry = new BuildRegistry(buildsDir, clock, settings.remembered(), settings.maxEvents(),
                settings.maxLogLines());
        this.runner = new BuildRunner(builders, settings.concurrency(), settings.maxQueued(), settings.buildTimeout());
        this.grpc = new BuildGrpcService(new BuildServices(registry, runner, new BuilderChoice(catalog),
                new BuildRequests(settings.registry()), new BundleExtractor(settings.bundle()),
                new BuildServices.Limits(settings.maxUpload())), layers);
    }

    /** The core with {@code builders} (by {@link ImageBuilder#name()}; at most one each) and no AddLayer. */
    public static Builds create(Settings settings, List<ImageBuilder> builders, RuntimeCatalog catalog) {
        return create(settings, builders, catalog, Optional.empty());
    }

    /** The core with {@code builders} and, when present, AddLayer served by {@code layers}. */
    public static Builds create(Settings settings, List<ImageBuilder> builders, RuntimeCatalog catalog,
                                Optional<AddLayerUploads> layers) {
        requireNonNull(settings, "settings");
        requireNonNull(layers, "layers");
        Map<String, ImageBuilder> byName = new HashMap<>();
        for (ImageBuilder b : builders) {
            if (byName.put(b.name(), b) != null) {
                throw new IllegalStateException("two image builders are named " + b.name());
            }
        }
        return new Builds(settings, byName, requireNonNull(catalog, "catalog"), layers, Clock.systemUTC());
    }

    /** {@code dcf.v1.Builder} (AddLayer only when the core was created with it). */
    public BindableService grpcService() {
        return grpc;
    }

    /** Cancels the builds still running, stops the workers, deletes the build directories. */
    @Override
    public void close() {
        runner.close(registry.running(), Duration.ofSeconds(10));
        WorkDirs.delete(buildsDir);
    }
}
