package io.dcf.build.jib;

import static java.util.Objects.requireNonNull;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import io.dcf.build.BuildCancelledException;
import io.dcf.build.BuildEvents;
import io.dcf.build.BuildFailedException;
import io.dcf.build.BuildInput;
import io.dcf.build.BuiltImage;
import io.dcf.build.ImageBuilder;
import io.dcf.images.FunctionImages;
import io.dcf.images.PythonFunction;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jib} builder: Java functions compiled (or their jars taken) and Python functions
 * (with their pure-Python requirements in a layer of their own) laid with jib-core onto the
 * runtime's base ({@link FunctionImages}), pushed by digest with no Docker daemon.
 * Reproducible: the same bundle on the same base gives the same digest.
 */
public final class JibImageBuilder implements ImageBuilder {

    private static final Logger log = LoggerFactory.getLogger(JibImageBuilder.class);

    private final JibSettings settings;
    private final RuntimeCatalog catalog;
    private final Registries registries;
    private final PipInstaller pip;

    public JibImageBuilder(JibSettings settings, RuntimeCatalog catalog) {
        this.settings = requireNonNull(settings, "settings");
        this.catalog = requireNonNull(catalog, "catalog");
        this.registries = new Registries(settings.insecureRegistries(), settings.dockerConfig());
        this.pip = new PipInstaller(settings.python(), settings.pipArgs(), settings.pipTimeout());
    }

    @Override
    public String name() {
        return "jib";
    }

    @Override
    public BuiltImage build(BuildInput input, BuildEvents events) {
        FunctionRuntime runtime = catalog.find(input.spec().getRuntime()).orElseThrow(() -> new BuildFailedException(
                "function " + input.function() + ": runtime: '" + input.spec().getRuntime() + "' is unknown"));
        String base = runtime.watcher() == FunctionRuntime.Watcher.JAVA ? settings.javaBase() : settings.pythonBase();
        JibContainerBuilder image = switch (runtime.watcher()) {
            case JAVA -> java(input, events);
            case PYTHON -> python(input, runtime, events);
            default -> throw new BuildFailedException("function " + input.function() + ": runtime " + runtime.name()
                    + " cannot be built with jib (its image comes from its Dockerfile): use the kaniko builder");
        };
        checkCancelled(input, events);
        return push(input, image, base, events);
    }

    private JibContainerBuilder java(BuildInput input, BuildEvents events) {
        String handler = input.spec().getHandler().getName().isEmpty() ? "Handler" : input.spec().getHandler().getName();
        var function = JavaLayout.of(input.function(), handler, input.sourceDir(), input.workDir(), events);
        return FunctionImages.java(base(input, settings.javaBase(), "java-base"), function);
    }

    private JibContainerBuilder python(BuildInput input, FunctionRuntime runtime, BuildEvents events) {
        String file = input.spec().getHandler().getFile().isEmpty() ? runtime.handlerFile()
                : input.spec().getHandler().getFile();
        PythonFunction function;
        try {
            function = new PythonFunction(input.sourceDir(), file);
        } catch (IllegalArgumentException e) {
            throw new BuildFailedException("function " + input.function() + ": handler.file: '" + file
                    + "' is not a file of the bundle");
        }
        JibContainerBuilder base = base(input, settings.pythonBase(), "python-base");
        Path requirements = input.sourceDir().resolve("requirements.txt");
        if (PipInstaller.needed(requirements)) {
            Path packages = input.workDir().resolve("packages");
            pip.install(input.function(), requirements, packages, events);
            checkCancelled(input, events);
            FunctionImages.pythonPackages(base, packages);
        }
        return FunctionImages.python(base, function);
    }

    private JibContainerBuilder base(BuildInput input, String reference, String setting) {
        if (reference.isEmpty()) {
            throw new BuildFailedException("function " + input.function() + ": this build-service has no base image"
                    + " for runtime " + input.spec().getRuntime() + " (dcf.build.jib." + setting + ")");
        }
        try {
            return registries.base(reference);
        } catch (InvalidImageReferenceException | IllegalArgumentException e) {
            throw new BuildFailedException("dcf.build.jib." + setting + ": '" + reference
                    + "' is not an image reference (registry/name:tag or tar:///path/image.tar)");
        }
    }

    private BuiltImage push(BuildInput input, JibContainerBuilder image, String base, BuildEvents events) {
        String target = input.repository() + ":" + input.tag();
        PushProgress progress = new PushProgress(events);
        events.phase(BuildPhase.BUILD_PHASE_PUSHING);
        try {
            Containerizer containerizer = registries.to(target, base)
                    .setBaseImageLayersCache(settings.baseCache())
                    .setApplicationLayersCache(input.workDir().resolve("jib-cache"))
                    .setToolName("dcf-build-service")
                    .addEventHandler(ProgressEvent.class, progress)
                    .addEventHandler(LogEvent.class, e -> logEvent(events, e));
            JibContainer container = image.containerize(containerizer);
            String digest = container.getDigest().toString();
            events.log("pushed " + input.repository() + "@" + digest);
            return new BuiltImage(input.repository(), digest, Math.max(0, progress.blobs() - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildCancelledException(input.id());
        } catch (ExecutionException e) {
            checkCancelled(input, events);
            throw failure(input, target, e.getCause() == null ? e : e.getCause());
        } catch (RegistryException | IOException | CacheDirectoryCreationException | InvalidImageReferenceException e) {
            checkCancelled(input, events);
            throw failure(input, target, e);
        }
    }

    private static BuildFailedException failure(BuildInput input, String target, Throwable cause) {
        log.info("Jib build of function={} build={} failed", input.function(), input.id(), cause);
        return new BuildFailedException("function " + input.function() + ": building or pushing " + target
                + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private static void logEvent(BuildEvents events, LogEvent event) {
        switch (event.getLevel()) {
            case ERROR, WARN, LIFECYCLE -> events.log(event.getMessage());
            default -> { }
        }
    }

    private static void checkCancelled(BuildInput input, BuildEvents events) {
        if (events.cancelled()) {
            throw new BuildCancelledException(input.id());
        }
    }
}
