package io.dcf.build.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.dcf.build.BuildEvents;
import io.dcf.build.BuildFailedException;
import io.dcf.build.BuiltImage;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import io.dcf.proto.v1.BuildPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AddLayer against a real registry (docker-registry on a loopback port), images read back by HTTP. */
class ModelLayerBuilderIT {

    @TempDir
    static Path shared;
    static LocalRegistry registry;
    static String baseDigest;

    @TempDir
    Path tmp;

    @BeforeAll
    static void pushBase() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(shared.resolve("registry")));
        Path code = Images.write(shared.resolve("code/app.txt"), "the function's code");
        Path lib = Images.jar(shared.resolve("code/lib.jar"), "lib.txt", "a dependency");
        JibContainer base = Images.push(Jib.from("tar://" + Images.tinyBase(shared))
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("lib")
                        .addEntry(lib, AbsoluteUnixPath.get("/dcf/function/lib/lib.jar")).build())
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("classes")
                        .addEntry(code, AbsoluteUnixPath.get("/dcf/function/app.txt")).build())
                .setEntrypoint(List.of("/bin/watcher"))
                .setUser("10001:10001")
                .addEnvironmentVariable("DCF_HANDLER_PATH", "/dcf/function"),
                registry.host(), "fn/scorer:v1", shared.resolve("cache"));
        baseDigest = base.getDigest().toString();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void addLayer_pushesExactlyOneMoreLayer_onTheSameBaseLayers_withTheFileAndDcfModelPath() throws Exception {
        Path model = Files.write(tmp.resolve("model.bin"), new byte[300_000]);
        Events events = new Events();

        BuiltImage built = builder().build(new ModelLayer("b1", "scorer", registry.host() + "/fn/scorer@" + baseDigest,
                "/models/model.bin", model, registry.host() + "/fn/scorer", "model-1"), events);

        PushedImage base = new PushedImage(registry.host(), "fn/scorer", baseDigest);
        PushedImage next = new PushedImage(registry.host(), "fn/scorer", built.digest());
        assertThat(new PushedImage(registry.host(), "fn/scorer", "model-1").manifest).isEqualTo(next.manifest);
        assertThat(next.layerCount()).isEqualTo(base.layerCount() + 1);
        assertThat(layerDigests(next).subList(0, base.layerCount())).isEqualTo(layerDigests(base));
        Map<String, PushedImage.Entry> added = next.layer(base.layerCount());
        assertThat(added).containsOnlyKeys("/models", "/models/model.bin");
        assertThat(added.get("/models/model.bin")).isEqualTo(new PushedImage.Entry(0444, 0, 300_000));
        assertThat(next.env()).containsEntry("DCF_MODEL_PATH", "/models/model.bin")
                .containsEntry("DCF_HANDLER_PATH", "/dcf/function");
        assertThat(next.entrypoint()).isEqualTo(base.entrypoint()).containsExactly("/bin/watcher");
        assertThat(next.user()).isEqualTo("10001:10001");
        assertThat(built.reference()).isEqualTo(registry.host() + "/fn/scorer@" + built.digest());
        assertThat(events.phases).containsExactly(BuildPhase.BUILD_PHASE_BUILDING, BuildPhase.BUILD_PHASE_PUSHING);
    }

    @Test
    void sameFile_sameBase_givesTheSameDigest() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.json"), "{\"w\": [1, 2]}");
        String base = registry.host() + "/fn/scorer@" + baseDigest;
        String first = builder().build(new ModelLayer("b2", "scorer", base, "/models/m.json", model,
                registry.host() + "/fn/scorer", "a"), new Events()).digest();
        String second = new ModelLayerBuilder(tmp.resolve("other-cache"), true, RegistryImage::named)
                .build(new ModelLayer("b3", "scorer", base, "/models/m.json", model, registry.host() + "/fn/scorer",
                        "b"), new Events()).digest();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void unknownBase_failsNamingTheFunctionAndTheBase() throws Exception {
        Path model = Files.writeString(tmp.resolve("m.bin"), "x");
        String missing = registry.host() + "/fn/nothing@sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> builder().build(new ModelLayer("b4", "scorer", missing, "/models/m.bin", model,
                registry.host() + "/fn/nothing", "x"), new Events()))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageStartingWith("function scorer: cannot add the model layer to " + missing);
        assertThatThrownBy(() -> builder().build(new ModelLayer("b5", "scorer", "Not A Reference", "/m", model,
                registry.host() + "/fn/x", "x"), new Events()))
                .hasMessageContaining("base_image: 'Not A Reference' is not an image reference");
    }

    private ModelLayerBuilder builder() {
        return new ModelLayerBuilder(tmp.resolve("cache"), true, RegistryImage::named);
    }

    private static List<String> layerDigests(PushedImage image) {
        List<String> digests = new ArrayList<>();
        for (JsonNode layer : image.manifest.path("layers")) {
            digests.add(layer.path("digest").asText());
        }
        return digests;
    }

    private static final class Events implements BuildEvents {
        final List<BuildPhase> phases = new CopyOnWriteArrayList<>();

        @Override
        public void phase(BuildPhase phase) {
            phases.add(phase);
        }

        @Override
        public void log(String line) {
        }

        @Override
        public void progress(long done, long total, String unit) {
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }
}
