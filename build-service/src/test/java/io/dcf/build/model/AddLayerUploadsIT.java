package io.dcf.build.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Jib;
import io.dcf.build.testing.BuilderClient;
import io.dcf.build.testing.TestBuildService;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.LayerStart;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AddLayer served by build-service's production wiring (token, settings) on a loopback port: the file
 * streamed in 1 MiB chunks, the image pushed to a real registry.
 */
class AddLayerUploadsIT {

    @TempDir
    Path tmp;
    private LocalRegistry registry;
    private TestBuildService service;
    private BuilderClient client;

    @BeforeEach
    void start() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")));
        service = TestBuildService.start(tmp.resolve("work"), Map.of(
                "dcf.build.max-model", "4MB",
                "dcf.build.jib.insecure-registries", registry.host()));
        client = new BuilderClient(service.port(), service.token());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        service.close();
        registry.close();
    }

    @Test
    void addLayer_streamsTheFile_pushesOneMoreLayer_andAnswersTheDigest() throws Exception {
        String base = Images.push(Jib.from("tar://" + Images.tinyBase(tmp)), registry.host(), "fn/m:v1",
                tmp.resolve("base-cache")).getDigest().toString();
        byte[] model = new byte[(3 << 20) + 17];
        model[0] = 7;

        BuildStatus status = upload(LayerStart.newBuilder().setFunction("m")
                .setBaseImage(registry.host() + "/fn/m@" + base).setPath("/models/m.bin")
                .setSizeBytes(model.length).setTag("model-1").build(), model);

        assertThat(status.getPhase()).isEqualTo(BuildPhase.BUILD_PHASE_SUCCEEDED);
        assertThat(status.getImage()).isEqualTo(registry.host() + "/fn/m@" + status.getDigest());
        PushedImage pushed = new PushedImage(registry.host(), "fn/m", "model-1");
        assertThat(pushed.layerCount()).isEqualTo(new PushedImage(registry.host(), "fn/m", base).layerCount() + 1);
        assertThat(pushed.layer(pushed.layerCount() - 1).get("/models/m.bin").size()).isEqualTo(model.length);
        try (Stream<Path> left = Files.list(tmp.resolve("work").resolve("uploads"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void badRequests_endTheCallWithTheReason() {
        assertThatThrownBy(() -> upload(LayerStart.newBuilder().setFunction("m").setPath("/m.bin").build(),
                new byte[1])).satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "base_image: missing"));
        assertThatThrownBy(() -> upload(LayerStart.newBuilder().setFunction("m").setBaseImage("r/m@sha256:1")
                .setPath("/models/../etc/passwd").build(), new byte[1]))
                .satisfies(e -> assertStatus(e, Status.Code.INVALID_ARGUMENT, "must not contain '..'"));
        assertThatThrownBy(() -> upload(LayerStart.newBuilder().setFunction("m").setBaseImage("r/m@sha256:1")
                .setPath("/m.bin").build(), new byte[5 << 20]))
                .satisfies(e -> assertStatus(e, Status.Code.RESOURCE_EXHAUSTED, "expected: at most 4194304"));
    }

    @Test
    void repositoryOf_dropsTagOrDigest() {
        assertThat(LayerReceiver.repositoryOf("127.0.0.1:5000/fn/m@sha256:ab")).isEqualTo("127.0.0.1:5000/fn/m");
        assertThat(LayerReceiver.repositoryOf("127.0.0.1:5000/fn/m:v1")).isEqualTo("127.0.0.1:5000/fn/m");
        assertThat(LayerReceiver.repositoryOf("127.0.0.1:5000/fn/m")).isEqualTo("127.0.0.1:5000/fn/m");
    }

    private BuildStatus upload(LayerStart start, byte[] content) throws Exception {
        return client.addLayer(start, content);
    }

    private static void assertStatus(Throwable e, Status.Code code, String message) {
        assertThat(e).isInstanceOf(StatusRuntimeException.class);
        assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(code);
        assertThat(((StatusRuntimeException) e).getStatus().getDescription()).contains(message);
    }
}
