package io.dcf.gateway.backend.kubernetes;

import io.dcf.gateway.metrics.InvocationMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.ErrorMapping;
import io.dcf.gateway.invoke.Invoker;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes backend end to end without a cluster: fabric8's mock API server plays
 * the API, the test plays the kubelet, and a real watcher process plays the pod (its
 * status names 127.0.0.1 and the backend calls the watcher's port). Calls go through the
 * gateway's own {@link Invoker}.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesBackendIT {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void deploy_notReadyThenReady_isCallableThroughTheInvoker_thenDeleteMakesItUnknown(@TempDir Path dir)
            throws Exception {
        MockCluster.answerVersion(server);
        try (WatchBridge bridge = new WatchBridge(client.getMasterUrl().toString());
             WatcherProcess watcher = WatcherProcess.helloJava("hello", dir)) {
            MockCluster cluster = new MockCluster(client, bridge);
            try (KubernetesFunctionBackend backend = cluster.backend("dcf-fn", watcher.port(), Duration.ofSeconds(60))) {
                Invoker invoker = new Invoker(backend.endpoints(), Duration.ofSeconds(30), 1 << 20, 64 << 20,
                        new InvocationMeters(new SimpleMeterRegistry()), Duration.ofMinutes(5));
                FunctionSpec spec = FunctionSpec.newBuilder().setName("hello").setRuntime("java")
                        .setImage("registry.local/hello:1").setReplicas(1).build();

                CompletableFuture<FunctionStatus> deploy = CompletableFuture.supplyAsync(
                        () -> backend.deploy(spec, BuiltFunction.prebuilt(spec.getImage())));
                await().atMost(Duration.ofSeconds(30)).until(() -> cluster.deployment("dcf-fn", "hello") != null);
                var pod = cluster.createPod("dcf-fn", "hello", MockCluster.waiting("ContainerCreating", null));
                await().atMost(Duration.ofSeconds(30)).until(() -> backend.get("hello").getReplicaStatusesCount() == 1);
                assertThat(backend.get("hello").getReplicaStatuses(0).getState()).isEqualTo("STARTING");
                assertThat(deploy).isNotDone();
                assertThat(invoker.call("hello", call("early"))).failsWithin(Duration.ofSeconds(30))
                        .withThrowableThat().satisfies(e -> assertThat(ErrorMapping.toStatus(e).getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE));

                cluster.setStatus(pod, MockCluster.ready("127.0.0.1", 0, null));
                FunctionStatus status = deploy.get(60, TimeUnit.SECONDS);

                assertThat(status.getReadyReplicas()).isEqualTo(1);
                assertThat(status.getReplicaStatuses(0).getEndpoint()).isEqualTo("127.0.0.1:" + watcher.port());
                CallReply reply = invoker.call("hello", call("Hello, cluster!")).get(30, TimeUnit.SECONDS);
                assertThat(reply.getOutput().toString(StandardCharsets.UTF_8)).isEqualTo("Hello, cluster!");

                backend.delete("hello");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(invoker.call("hello", call("late"))).failsWithin(Duration.ofSeconds(30))
                                .withThrowableThat().satisfies(e -> assertThat(ErrorMapping.toStatus(e)
                                        .getCode()).isEqualTo(Status.Code.NOT_FOUND)));
            }
        }
    }

    private static CallRequest call(String text) {
        return CallRequest.newBuilder().setFunction("hello").setInput(ByteString.copyFromUtf8(text))
                .setContentType("text/plain").build();
    }
}
