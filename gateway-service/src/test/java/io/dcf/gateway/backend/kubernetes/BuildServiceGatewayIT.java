package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import io.dcf.build.testing.TestBuildService;
import io.dcf.gateway.GatewayApplication;
import io.dcf.gateway.Zips;
import io.dcf.images.testing.Images;
import io.dcf.images.testing.LocalRegistry;
import io.dcf.images.testing.PushedImage;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.DeployEvent;
import io.dcf.proto.v1.DeployFollowRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InfoRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Source to a running function through the seam, every part real but the API server: the
 * gateway (kubernetes backend, fabric8's mock API server) gets examples/hello-java's source in a
 * Deploy, uploads it to a real build-service (started by its own wiring) that compiles it and
 * pushes the image with Jib to a real docker-registry on loopback; the Deployment runs that digest,
 * the pushed manifest is read back by it, and a call reaches the "pod" (a real watcher process).
 * The deploy goes through DeployFollow: build-service's events reach its caller as they come, then
 * {@code deploying}, then the status. A source that does not compile fails the deploy with the
 * compiler's error (its log line relayed, over DeployFollow) and creates nothing.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class BuildServiceGatewayIT {

    private static final String TOKEN = "build-service-gateway-it-token";
    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void deploySource_buildServiceBuildsAndPushes_gatewayDeploysTheDigest(@TempDir Path dir) throws Exception {
        MockCluster.answerVersion(server);
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        try (LocalRegistry registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")));
             WatchBridge bridge = new WatchBridge(client.getMasterUrl().toString());
             WatcherProcess watcher = WatcherProcess.helloJava("hello", Files.createDirectories(dir.resolve("w")));
             TestBuildService builds = TestBuildService.start(Files.createDirectories(dir.resolve("builds")), Map.of(
                     "dcf.build.token-file", tokenFile.toString(),
                     "dcf.build.registry", registry.host(),
                     "dcf.build.jib.java-base", "tar://" + Images.tinyBase(Files.createDirectories(dir.resolve("base"))),
                     "dcf.build.jib.insecure-registries", registry.host()))) {
            MockCluster cluster = new MockCluster(client, bridge);
            ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                    "--dcf.gateway.port=0", "--dcf.gateway.home=" + Files.createDirectories(dir.resolve("home")),
                    "--dcf.gateway.backend=kubernetes", "--dcf.gateway.auth.token-file=" + tokenFile,
                    "--dcf.gateway.kubernetes.kubeconfig=" + KubeconfigFiles.write(dir, bridge.url()),
                    "--dcf.gateway.kubernetes.watcher-port=" + watcher.port(),
                    "--dcf.gateway.build-service.address=127.0.0.1:" + builds.port(),
                    "--dcf.gateway.build-service.timeout=120s");
            int port = gateway.getBean(Server.class).activeLocalPort();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
                assertThat(stub.info(InfoRequest.getDefaultInstance()).getBuildService())
                        .isEqualTo("127.0.0.1:" + builds.port());

                Artifact hello = source(Map.of("Handler.java",
                        Files.readString(WatcherProcess.EXAMPLES.resolve("hello-java/Handler.java"))));
                List<DeployEvent> events = new CopyOnWriteArrayList<>();
                CompletableFuture<FunctionStatus> deploy = CompletableFuture.supplyAsync(() -> {
                    stub.withDeadlineAfter(180, TimeUnit.SECONDS).deployFollow(DeployFollowRequest.newBuilder()
                            .setRequest(DeployRequest.newBuilder().setSpec(spec("hello")).setArtifact(hello)).build())
                            .forEachRemaining(events::add);
                    return events.get(events.size() - 1).getStatus();
                });
                await().atMost(Duration.ofSeconds(150)).until(() -> cluster.deployment("dcf-fn", "hello") != null);
                String image = cluster.deployment("dcf-fn", "hello").getSpec().getTemplate().getSpec().getContainers()
                        .get(0).getImage();
                cluster.createPod("dcf-fn", "hello", MockCluster.ready("127.0.0.1", 0, null));
                FunctionStatus deployed = deploy.get(60, TimeUnit.SECONDS);

                assertThat(image).matches(java.util.regex.Pattern.quote(registry.host()) + "/hello@sha256:[0-9a-f]{64}");
                assertThat(deployed.getSpec().getImage()).isEqualTo(image);
                PushedImage pushed = new PushedImage(registry.host(), "hello", image.substring(image.indexOf('@') + 1));
                assertThat(pushed.env()).containsKey("DCF_HANDLER_PATH");
                HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/function/hello"))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString("built, pushed"))
                        .header("Content-Type", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(reply.body()).isEqualTo("built, pushed");
                // build-service's own events reached the DeployFollow caller, relayed as they came, then the deploy
                List<BuildEvent> build = events.stream().filter(DeployEvent::hasBuild).map(DeployEvent::getBuild).toList();
                assertThat(build).extracting(BuildEvent::getId).containsOnly(build.get(0).getId());
                assertThat(build.stream().map(BuildEvent::getPhase).distinct().toList()).containsSubsequence(
                        BuildPhase.BUILD_PHASE_EXTRACTING, BuildPhase.BUILD_PHASE_BUILDING,
                        BuildPhase.BUILD_PHASE_PUSHING, BuildPhase.BUILD_PHASE_SUCCEEDED);
                assertThat(build.get(build.size() - 1).getDone().getImage()).isEqualTo(image);
                assertThat(events.get(events.size() - 2).getDeploying()).isEqualTo("deploying hello");
                assertThat(events.get(events.size() - 1).getStatus().getSpec().getImage()).isEqualTo(image);

                List<DeployEvent> brokenEvents = new ArrayList<>();
                assertThatThrownBy(() -> stub.withDeadlineAfter(120, TimeUnit.SECONDS).deployFollow(DeployFollowRequest
                        .newBuilder().setRequest(DeployRequest.newBuilder().setSpec(spec("broken-follow"))
                                .setArtifact(source(Map.of("Handler.java", "public class Handler { int x = \"text\"; }"))))
                        .build()).forEachRemaining(brokenEvents::add))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.FAILED_PRECONDITION));
                assertThat(brokenEvents).anyMatch(e -> e.getBuild().getLog().contains("Handler.java:1: error:"));
                assertThat(brokenEvents.get(brokenEvents.size() - 1).getBuild().getDone().getPhase())
                        .isEqualTo(BuildPhase.BUILD_PHASE_FAILED);
                assertThat(cluster.deployment("dcf-fn", "broken-follow")).isNull();

                assertThatThrownBy(() -> stub.withDeadlineAfter(120, TimeUnit.SECONDS).deploy(DeployRequest
                        .newBuilder().setSpec(spec("broken")).setArtifact(source(Map.of("Handler.java",
                                "public class Handler { int x = \"text\"; }"))).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                            assertThat(e.getStatus().getDescription()).startsWith("function broken: build ")
                                    .contains("failed", "Handler.java");
                        });
                assertThat(cluster.deployment("dcf-fn", "broken")).isNull();
            } finally {
                channel.shutdownNow();
                gateway.close();
            }
        }
    }

    private static FunctionSpec spec(String name) {
        return FunctionSpec.newBuilder().setName(name).setRuntime("java")
                .setHandler(HandlerRef.newBuilder().setName("Handler")).build();
    }

    private static Artifact source(Map<String, String> files) {
        return Artifact.newBuilder().setSourceZip(ByteString.copyFrom(Zips.of(files))).build();
    }
}
