package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.dcf.build.model.AddLayerUploads;
import io.dcf.build.model.ModelLayerBuilder;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.build.service.BuildServiceSettings;
import io.dcf.gateway.error.DcfException;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import io.dcf.proto.v1.LayerChunk;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * update-model on the Kubernetes backend: the gateway streams the model to build-service's real
 * AddLayer (on a loopback port), which pushes the current image plus one layer to a real registry
 * (docker-registry); the Deployment (fabric8's API server in CRUD mode) rolls to the new digest.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesModelUpdateIT {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path tmp;
    private final String ns = "models";
    private LocalRegistry registry;
    private ExecutorService blocking;
    private Server builder;
    private WatchBridge bridge;
    private KubernetesFunctionBackend backend;

    @BeforeAll
    static void version() {
        MockCluster.answerVersion(server);
    }

    @BeforeEach
    void start() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(tmp.resolve("registry")));
        blocking = Executors.newFixedThreadPool(2);
        AddLayerUploads uploads = new AddLayerUploads(tmp.resolve("uploads"), 64 << 20,
                new ModelLayerBuilder(tmp.resolve("jib-cache"), true, RegistryImage::named), blocking);
        builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new BuilderGrpc.BuilderImplBase() {
                    @Override
                    public StreamObserver<LayerChunk> addLayer(StreamObserver<BuildStatus> responseObserver) {
                        return uploads.receive(responseObserver);
                    }
                }).build().start();
        bridge = new WatchBridge(client.getMasterUrl().toString());
        backend = new MockCluster(client, bridge).backend(ns, 50051, Duration.ofSeconds(60), Optional.of(
                ModelImages.builderService(new BuildServiceSettings("127.0.0.1:" + builder.getPort(), "",
                        Duration.ofMinutes(2), Optional::empty))));
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        bridge.close();
        builder.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        blocking.shutdownNow();
        registry.close();
    }

    @Test
    void updateModel_rollsTheDeploymentToTheImagePlusOneLayer_andRollbackGoesBack() throws Exception {
        Path code = Images.write(tmp.resolve("code/app.txt"), "code");
        String baseDigest = Images.push(Jib.from("tar://" + Images.tinyBase(tmp)).addFileEntriesLayer(
                FileEntriesLayer.builder().addEntry(code, AbsoluteUnixPath.get("/dcf/function/app.txt")).build()),
                registry.host(), "fn/scorer:v1", tmp.resolve("cache")).getDigest().toString();
        String tagged = registry.host() + "/fn/scorer:v1";
        rolled("scorer", 1, "docker-pullable://" + registry.host() + "/fn/scorer@" + baseDigest, () -> backend.deploy(
                FunctionSpec.newBuilder().setName("scorer").setRuntime("java").setImage(tagged).setReplicas(1).build(),
                BuiltFunction.prebuilt(tagged)));
        byte[] bytes = "{\"weights\": [2, 3]}".getBytes();
        Path spooled = Files.write(tmp.resolve("spooled.model"), bytes);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        FunctionStatus updated = rolled("scorer", 2, "", () -> backend.updateModel(
                new ModelFile("scorer", "/models/w.json", spooled, digest, bytes.length)));

        String image = updated.getSpec().getImage();
        assertThat(image).startsWith(registry.host() + "/fn/scorer@sha256:");
        assertThat(deploymentImage()).isEqualTo(image);
        PushedImage base = new PushedImage(registry.host(), "fn/scorer", baseDigest);
        PushedImage next = new PushedImage(registry.host(), "fn/scorer", image.substring(image.indexOf('@') + 1));
        assertThat(next.layerCount()).isEqualTo(base.layerCount() + 1);
        assertThat(digests(next).subList(0, base.layerCount())).isEqualTo(digests(base));
        assertThat(next.layer(base.layerCount())).containsKey("/models/w.json");
        assertThat(next.env()).containsEntry("DCF_MODEL_PATH", "/models/w.json");
        FunctionVersion current = backend.versions("scorer").get(0);
        assertThat(current.getCause()).isEqualTo("update-model");
        assertThat(current.getImage()).isEqualTo(image);
        assertThat(current.getModelDigest()).isEqualTo(digest);

        rolled("scorer", 3, "", () -> backend.rollback("scorer", 1));
        assertThat(deploymentImage()).isEqualTo(tagged);
        assertThat(backend.versions("scorer")).extracting(FunctionVersion::getCause)
                .containsExactly("rollback", "update-model", "deploy");
    }

    @Test
    void updateModel_unknownBaseImage_failsWithBuildServicesReason_andKeepsTheDeployment() throws Exception {
        String missing = registry.host() + "/fn/ghost@sha256:" + "0".repeat(64);
        rolled("ghost", 1, "", () -> backend.deploy(FunctionSpec.newBuilder().setName("ghost").setRuntime("java")
                .setImage(missing).setReplicas(1).build(), BuiltFunction.prebuilt(missing)));
        Path spooled = Files.writeString(tmp.resolve("m"), "x");

        assertThatThrownBy(() -> backend.updateModel(new ModelFile("ghost", "/models/m", spooled, "sha256:" + "1".repeat(64), 1)))
                .isInstanceOfSatisfying(DcfException.class,
                        e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
                .hasMessageContaining("function ghost: build-service could not add the model layer")
                .hasMessageContaining(missing);
        assertThat(backend.versions("ghost")).hasSize(1);
        assertThat(MockClusterImages.image(client, ns, "ghost")).isEqualTo(missing);
    }

    private String deploymentImage() {
        return MockClusterImages.image(client, ns, "scorer");
    }

    /** Runs {@code change} in the background and plays the kubelet: a ready pod of {@code generation}. */
    private FunctionStatus rolled(String name, long generation, String imageId, Supplier<FunctionStatus> change)
            throws Exception {
        CompletableFuture<FunctionStatus> future = CompletableFuture.supplyAsync(change);
        MockCluster cluster = new MockCluster(client, bridge);
        await().atMost(Duration.ofSeconds(120)).until(() -> future.isDone() || cluster.deployment(ns, name) != null
                && Long.toString(generation).equals(cluster.deployment(ns, name).getSpec().getTemplate()
                        .getMetadata().getAnnotations().get(FunctionMetadata.GENERATION)));
        if (!future.isDone()) {
            PodStatus ready = new PodStatusBuilder(MockCluster.ready("127.0.0." + generation, 0, null))
                    .editFirstContainerStatus().withImageID(imageId).endContainerStatus().build();
            cluster.createPod(ns, name, ready);
        }
        return future.get(120, TimeUnit.SECONDS);
    }

    private static List<String> digests(PushedImage image) {
        List<String> digests = new ArrayList<>();
        for (JsonNode layer : image.manifest.path("layers")) {
            digests.add(layer.path("digest").asText());
        }
        return digests;
    }

    /** The container image of a function's Deployment. */
    private static final class MockClusterImages {
        static String image(KubernetesClient client, String namespace, String name) {
            return client.apps().deployments().inNamespace(namespace).withName(name).get().getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getImage();
        }
    }
}
