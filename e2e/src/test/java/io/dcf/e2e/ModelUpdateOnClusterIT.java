package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.tools.jib.api.RegistryImage;
import io.dcf.build.model.AddLayerUploads;
import io.dcf.build.model.ModelLayerBuilder;
import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.LayerChunk;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.ModelStart;
import io.dcf.proto.v1.ReplicaStatus;
import io.dcf.proto.v1.RollbackRequest;
import io.dcf.proto.v1.VersionsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dcf function update-model on the real cluster: the gateway (in this JVM, Kubernetes backend)
 * streams a model to build-service's AddLayer (in this JVM too, pushing to the cluster's registry
 * 127.0.0.1:5000), and the function's Deployment rolls to the image + one layer while four callers
 * call it over HTTP; then a rollback rolls it back. No call may fail.
 */
class ModelUpdateOnClusterIT {

    private static final System.Logger LOG = System.getLogger(ModelUpdateOnClusterIT.class.getName());

    private static ExecutorService blocking;
    private static Server builder;
    private static KubernetesGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory("dcf-e2e-models");
        blocking = Executors.newFixedThreadPool(2);
        AddLayerUploads uploads = new AddLayerUploads(work.resolve("uploads"), 256 << 20,
                new ModelLayerBuilder(work.resolve("jib-cache"), true, RegistryImage::named), blocking);
        builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new BuilderGrpc.BuilderImplBase() {
                    @Override
                    public StreamObserver<LayerChunk> addLayer(StreamObserver<BuildStatus> responseObserver) {
                        return uploads.receive(responseObserver);
                    }
                }).build().start();
        gateway = KubernetesGateway.start("dcf-e2e-",
                "--dcf.gateway.build-service.address=127.0.0.1:" + builder.getPort());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (builder != null) {
                builder.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            if (blocking != null) {
                blocking.shutdownNow();
            }
        }
    }

    @Test
    void updateModel_andRollback_rollTheRunningFunction_underSteadyLoad_failingNoCall() throws Exception {
        String image = E2eImages.javaEcho();
        grpc().deploy(DeployRequest.newBuilder().setSpec(FunctionSpec.newBuilder().setName("scorer")
                .setRuntime("java").setImage(image).setReplicas(2)
                .setHandler(HandlerRef.newBuilder().setName("Handler"))).build());
        await().atMost(Duration.ofMinutes(3)).until(() -> status().getReadyReplicas() == 2);

        try (EchoCallers callers = new EchoCallers(4, gateway.uri("/function/scorer"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> callers.ok() >= 50);
            byte[] model = new byte[8 << 20];
            model[0] = 42;
            long began = System.nanoTime();
            FunctionStatus updated = upload(model);
            long uploadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            rolledOver(updated);
            LOG.log(System.Logger.Level.INFO, "update-model of 8 MiB: {0} ms to the reply, {1} ms to all pods new;"
                    + " {2} calls ok, {3} failed", uploadMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                    callers.ok(), callers.failures().size());
            assertThat(updated.getSpec().getImage()).startsWith("127.0.0.1:5000/").contains("@sha256:")
                    .isNotEqualTo(image);

            FunctionStatus back = grpc().rollback(RollbackRequest.newBuilder().setName("scorer").build());
            rolledOver(back);
            assertThat(back.getSpec().getImage()).isEqualTo(image);
            int atEnd = callers.ok();
            await().atMost(Duration.ofSeconds(60)).until(() -> callers.ok() >= atEnd + 50);
            assertThat(callers.failures()).as("calls failed during update-model and rollback (%d ok)", callers.ok())
                    .isEmpty();
        }
        List<FunctionVersion> versions = grpc().versions(VersionsRequest.newBuilder().setName("scorer").build())
                .getVersionsList();
        assertThat(versions).extracting(FunctionVersion::getCause).containsExactly("rollback", "update-model", "deploy");
        assertThat(versions.get(1).getModelBytes()).isEqualTo(8 << 20);
    }

    /** Waits until every pod runs {@code status}'s generation and two are ready. */
    private static void rolledOver(FunctionStatus status) {
        Set<String> before = podNames();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            FunctionStatus s = status();
            return s.getReadyReplicas() == 2 && s.getReplicaStatusesCount() == 2
                    && s.getGeneration() == status.getGeneration() && !podNames().equals(before);
        });
    }

    private static FunctionStatus upload(byte[] model) throws Exception {
        ChunkedUpload<ModelChunk, FunctionStatus> upload = new ChunkedUpload<>(
                ModelChunk.newBuilder().setStart(ModelStart.newBuilder().setName("scorer")
                        .setPath("/models/model.bin").setSizeBytes(model.length)).build(),
                new ByteArrayInputStream(model), data -> ModelChunk.newBuilder().setData(data).build(), sent -> { });
        gateway.async(600).updateModel(upload);
        return upload.reply().get(10, TimeUnit.MINUTES);
    }

    private static FunctionStatus status() {
        return grpc().get(GetRequest.newBuilder().setName("scorer").build());
    }

    private static Set<String> podNames() {
        return status().getReplicaStatusesList().stream().map(ReplicaStatus::getName).collect(Collectors.toSet());
    }

    private static GatewayGrpc.GatewayBlockingStub grpc() {
        return gateway.grpc(600);
    }
}
