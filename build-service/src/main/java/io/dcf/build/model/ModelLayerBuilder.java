package io.dcf.build.model;

import static java.util.Objects.requireNonNull;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import io.dcf.build.BuildCancelledException;
import io.dcf.build.BuildEvents;
import io.dcf.build.BuildFailedException;
import io.dcf.build.BuiltImage;
import io.dcf.proto.v1.BuildPhase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * AddLayer: a new image = an existing image + one layer holding one file (a model). Jib reads
 * the base's manifest and config from the registry and pushes only the new layer, the new
 * config and the manifest (the base's layers are already there: same digests, nothing rebuilt
 * or pulled). The image's environment gets {@code DCF_MODEL_PATH} (the watcher contract). The
 * layer is reproducible: the file is owned by root, mode 0444, time stamp 1970-01-01T00:00:01Z.
 */
public final class ModelLayerBuilder {

    /** The environment variable that tells the handler where its model is (docs/watcher-contract.md). */
    public static final String MODEL_PATH_ENV = "DCF_MODEL_PATH";
    static final Instant FILE_TIME = Instant.ofEpochSecond(1);

    private final Path cacheDir;
    private final boolean allowInsecureRegistries;
    private final Function<ImageReference, RegistryImage> registry;

    /**
     * @param cacheDir                Jib's base and application layer caches
     * @param allowInsecureRegistries whether plain-HTTP registries may be used (a loopback or in-cluster registry)
     * @param registry                names an image with the credentials its registry needs
     *                                ({@code RegistryImage::named} when none)
     */
    public ModelLayerBuilder(Path cacheDir, boolean allowInsecureRegistries,
                             Function<ImageReference, RegistryImage> registry) {
        this.cacheDir = requireNonNull(cacheDir, "cacheDir");
        this.allowInsecureRegistries = allowInsecureRegistries;
        this.registry = requireNonNull(registry, "registry");
    }

    /** Builds and pushes the image; blocking. */
    public BuiltImage build(ModelLayer request, BuildEvents events) {
        String where = "function " + request.function() + ": ";
        RegistryImage base = image(where, "base_image", request.baseImage());
        RegistryImage target = image(where, "repository", request.repository() + ":" + request.tag());
        if (events.cancelled()) {
            throw new BuildCancelledException(request.id());
        }
        events.phase(BuildPhase.BUILD_PHASE_BUILDING);
        events.log("adding " + request.path() + " to " + request.baseImage());
        FileEntriesLayer layer = FileEntriesLayer.builder().setName("model")
                .addEntry(request.file(), AbsoluteUnixPath.get(request.path()), FilePermissions.fromOctalString("444"),
                        FILE_TIME, "0:0")
                .build();
        try {
            events.phase(BuildPhase.BUILD_PHASE_PUSHING);
            JibContainer container = Jib.from(base)
                    .addFileEntriesLayer(layer)
                    .addEnvironmentVariable(MODEL_PATH_ENV, request.path())
                    .containerize(Containerizer.to(target)
                            .setAllowInsecureRegistries(allowInsecureRegistries)
                            .setBaseImageLayersCache(cacheDir.resolve("base"))
                            .setApplicationLayersCache(cacheDir.resolve("app"))
                            .setToolName("dcf-build-service"));
            String digest = container.getDigest().toString();
            events.log("pushed " + request.repository() + "@" + digest);
            return new BuiltImage(request.repository(), digest, 0); // Jib does not say; the base's count + 1
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildCancelledException(request.id());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BuildFailedException(where + "cannot add the model layer to " + request.baseImage() + ": "
                    + describe(cause), cause);
        } catch (RegistryException | IOException | CacheDirectoryCreationException e) {
            throw new BuildFailedException(where + "cannot add the model layer to " + request.baseImage() + ": "
                    + describe(e), e);
        }
    }

    private RegistryImage image(String where, String field, String reference) {
        try {
            return registry.apply(ImageReference.parse(reference));
        } catch (InvalidImageReferenceException e) {
            throw new BuildFailedException(where + field + ": '" + reference
                    + "' is not an image reference (expected: registry/name@sha256:... or registry/name:tag)", e);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
