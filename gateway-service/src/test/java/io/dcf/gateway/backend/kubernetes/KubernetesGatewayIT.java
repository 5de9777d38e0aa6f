package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.server.Server;
import io.dcf.gateway.GatewayApplication;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.build.service.BuildServiceFunctionBuilder;
import io.dcf.proto.compat.CreateFunctionRequest;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.compat.Message;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.InfoRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole gateway with {@code dcf.gateway.backend=kubernetes}, configured by a kubeconfig
 * file that names fabric8's mock API server: the wiring (a Kubernetes backend and resolver, a
 * build-service builder, no home lock, nothing written to DCF_HOME), Info naming the advertised
 * build-service, the seed CLI's image-based compat Deploy (the image used as it is: build-service,
 * here unreachable, is not asked), an
 * HTTP call through /function/ to a real watcher the pod's status names, and a shutdown
 * that leaves the function's objects in place.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesGatewayIT {

    private static final String TOKEN = "kubernetes-gateway-it-token";
    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void gateway_onKubernetes_deploysFromImageAndServesHttpCalls(@TempDir Path dir) throws Exception {
        MockCluster.answerVersion(server);
        Path home = Files.createDirectories(dir.resolve("home"));
        try (WatchBridge bridge = new WatchBridge(client.getMasterUrl().toString());
             WatcherProcess watcher = WatcherProcess.helloJava("hello", Files.createDirectories(dir.resolve("w")))) {
            MockCluster cluster = new MockCluster(client, bridge);
            Path kubeconfig = KubeconfigFiles.write(dir, bridge.url());
            ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class).run(
                    "--dcf.gateway.port=0", "--dcf.gateway.home=" + home, "--dcf.gateway.backend=kubernetes",
                    "--dcf.gateway.auth.token=" + TOKEN,
                    "--dcf.gateway.kubernetes.kubeconfig=" + kubeconfig,
                    "--dcf.gateway.kubernetes.watcher-port=" + watcher.port(),
                    "--dcf.gateway.build-service.address=127.0.0.1:1",
                    "--dcf.gateway.build-service.advertised-address=builds.example:31114");
            ManagedChannel channel = null;
            try {
                assertThat(context.getBean(FunctionBackend.class)).isInstanceOf(KubernetesFunctionBackend.class);
                assertThat(context.getBean(EndpointResolver.class)).isInstanceOf(PodEndpoints.class);
                assertThat(context.getBeanNamesForType(io.dcf.gateway.config.HomeLock.class)).isEmpty();
                assertThat(context.getBean(FunctionBuilder.class)).isInstanceOf(BuildServiceFunctionBuilder.class);
                int port = context.getBean(Server.class).activeLocalPort();
                channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
                var fx = FxGatewayGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

                assertThat(GatewayGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .info(InfoRequest.getDefaultInstance()).getBuildService()).isEqualTo("builds.example:31114");

                CompletableFuture<Message> deploy = CompletableFuture.supplyAsync(() -> fx
                        .withDeadlineAfter(90, TimeUnit.SECONDS)
                        .deploy(CreateFunctionRequest.newBuilder().setService("hello")
                                .setImage("registry.local/hello:1").putEnvVars("GREETING", "hi")
                                .setLimits(io.dcf.proto.compat.FunctionResources.newBuilder().setMemory("256Mi"))
                                .setRequests(io.dcf.proto.compat.FunctionResources.newBuilder().setCPU("100m"))
                                .build()));
                await().atMost(Duration.ofSeconds(30)).until(() -> cluster.deployment("dcf-fn", "hello") != null);
                cluster.createPod("dcf-fn", "hello", MockCluster.ready("127.0.0.1", 0, null));
                assertThat(deploy.get(90, TimeUnit.SECONDS).getMsg()).isEqualTo("function hello deployed");

                HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/function/hello"))
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString("Hello, pod!"))
                        .header("Content-Type", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(reply.statusCode()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo("Hello, pod!");
                assertThat(cluster.deployment("dcf-fn", "hello").getMetadata().getAnnotations())
                        .containsKey(FunctionMetadata.SPEC);
                var resources = cluster.deployment("dcf-fn", "hello").getSpec().getTemplate().getSpec()
                        .getContainers().get(0).getResources(); // the seed CLI's limits and requests reach the pod
                assertThat(resources.getLimits().get("memory")).hasToString("256Mi");
                assertThat(resources.getRequests().get("cpu")).hasToString("100m");
            } finally {
                if (channel != null) {
                    channel.shutdownNow();
                }
                context.close();
            }
            assertThat(cluster.deployment("dcf-fn", "hello")).as("close() never touches a running function")
                    .isNotNull();
            assertThat(home).isEmptyDirectory();
        }
    }
}
