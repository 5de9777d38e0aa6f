package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ListRequest;
import io.dcf.proto.v1.LogLine;
import io.dcf.proto.v1.LogsRequest;
import io.dcf.proto.v1.ReplicaStatus;
import io.dcf.proto.v1.ScaleRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway with {@code dcf.gateway.backend=kubernetes}, outside the cluster with the
 * kubeconfig, on the real one-node cluster: deploys the Java and Python echo images, calls
 * them over HTTP and gRPC at their pods' IPs, scales to 3, places a GPU function by its constraint
 * and leaves the replica no GPU is left for waiting, rolls an update under steady load
 * with no failed call, survives a gateway restart untouched, shows the pods' logs, deletes.
 * One function's life, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesBackendOnClusterIT {

    private static final System.Logger LOG = System.getLogger(KubernetesBackendOnClusterIT.class.getName());

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KubernetesGateway gateway;
    private static String namespace;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = KubernetesGateway.start("dcf-e2e-");
        namespace = gateway.namespace();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static GatewayGrpc.GatewayBlockingStub grpc() {
        return gateway.grpc(240);
    }

    private static FunctionSpec.Builder echo(String name, String image, String runtime) {
        return FunctionSpec.newBuilder().setName(name).setRuntime(runtime).setImage(image)
                .setHandler(HandlerRef.newBuilder().setName("Handler"))
                .putEnvironment("GREETING", "from " + name);
    }

    @Test
    @Order(0)
    void deployWithoutImage_saysToBuildOne() {
        assertThatThrownBy(() -> grpc().deploy(DeployRequest.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName("no-image").setRuntime("java")
                        .setHandler(HandlerRef.newBuilder().setName("Handler"))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("no-image", "image");
                });
    }

    @Test
    @Order(1)
    void javaAndPython_deployAndAnswerOverHttpAndGrpc() throws Exception {
        FunctionStatus java = grpc().deploy(DeployRequest.newBuilder()
                .setSpec(echo("java-echo", E2eImages.javaEcho(), "java")).build());
        FunctionStatus python = grpc().deploy(DeployRequest.newBuilder()
                .setSpec(echo("python-echo", E2eImages.pythonEcho(), "python")).build());

        assertThat(java.getReadyReplicas()).isEqualTo(1);
        assertThat(python.getReadyReplicas()).isEqualTo(1);
        for (String fn : List.of("java-echo", "python-echo")) {
            HttpResponse<String> http = post(fn, "Hello, DCF!");
            assertThat(http.statusCode()).as(fn).isEqualTo(200);
            assertThat(http.body()).as(fn).isEqualTo("Hello, DCF!");
            assertThat(grpc().invoke(InvokeRequest.newBuilder().setFunction(fn)
                    .setInput(ByteString.copyFromUtf8("over gRPC")).build()).getOutput().toStringUtf8())
                    .as(fn).isEqualTo("over gRPC");
        }
        ReplicaStatus pod = grpc().get(GetRequest.newBuilder().setName("java-echo").build()).getReplicaStatuses(0);
        assertThat(pod.getName()).startsWith("java-echo-");
        assertThat(pod.getState()).isEqualTo("READY");
        assertThat(pod.getEndpoint()).startsWith("10.244.0.").endsWith(":50051");
        assertThat(pod.getPid()).isZero();
        assertThat(grpc().list(ListRequest.getDefaultInstance()).getFunctionsList())
                .extracting(s -> s.getSpec().getName()).containsExactly("java-echo", "python-echo");
    }

    @Test
    @Order(2)
    void scaleTo3_threePodsServe() throws Exception {
        grpc().scale(ScaleRequest.newBuilder().setName("java-echo").setReplicas(3).build());

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                grpc().get(GetRequest.newBuilder().setName("java-echo").build()).getReadyReplicas() == 3);
        FunctionStatus status = grpc().get(GetRequest.newBuilder().setName("java-echo").build());
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getReplicaStatusesList()).extracting(ReplicaStatus::getEndpoint).doesNotHaveDuplicates()
                .hasSize(3);
        for (int i = 0; i < 30; i++) {
            assertThat(post("java-echo", "call " + i).body()).isEqualTo("call " + i);
        }
    }

    @Test
    @Order(3)
    void gpuFunction_isPlacedByConstraint_andWaitsForAFreeGpu() throws Exception {
        // The cluster advertises two fake nvidia.com/gpu on a node labelled gpu=true (.ci/run starts it so).
        FunctionStatus gpu = grpc().deploy(DeployRequest.newBuilder().setSpec(echo("gpu-echo", E2eImages.javaEcho(), "java")
                .addConstraints("gpu=true")
                .setLimits(io.dcf.proto.v1.Resources.newBuilder().setGpu("1"))).build());
        assertThat(gpu.getReadyReplicas()).isEqualTo(1);
        assertThat(post("gpu-echo", "on a GPU node").body()).isEqualTo("on a GPU node");

        grpc().scale(ScaleRequest.newBuilder().setName("gpu-echo").setReplicas(3).build());

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(grpc().get(GetRequest.newBuilder().setName("gpu-echo").build()).getReplicaStatusesList())
                        .anySatisfy(pod -> assertThat(pod.getMessage()).contains("Insufficient nvidia.com/gpu")));
        grpc().delete(DeleteRequest.newBuilder().setName("gpu-echo").build());
    }

    @Test
    @Order(4)
    void rollingUpdate_underSteadyLoad_failsNoCall() throws Exception {
        Set<String> before = podNames("java-echo");
        try (EchoCallers callers = new EchoCallers(4, gateway.uri("/function/java-echo"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> callers.ok() >= 50);

            int okBefore = callers.ok();
            long rollStart = System.nanoTime();
            FunctionStatus old = grpc().get(GetRequest.newBuilder().setName("java-echo").build());
            FunctionSpec current = old.getSpec();
            FunctionStatus updated = grpc().update(DeployRequest.newBuilder()
                    .setSpec(current.toBuilder().putEnvironment("GREETING", "updated")).build());
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                FunctionStatus s = grpc().get(GetRequest.newBuilder().setName("java-echo").build());
                Set<String> now = podNames("java-echo");
                return s.getReadyReplicas() == 3 && now.size() == 3 && now.stream().noneMatch(before::contains);
            });
            int atRollout = callers.ok();
            LOG.log(System.Logger.Level.INFO, "rolling update of java-echo (3 pods) done after {0} ms; {1} calls"
                    + " succeeded during it, {2} failed",
                    java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rollStart),
                    atRollout - okBefore, callers.failures().size());
            await().atMost(Duration.ofSeconds(60)).until(() -> callers.ok() >= atRollout + 50);
            callers.close();

            assertThat(updated.getGeneration()).isGreaterThan(old.getGeneration());
            assertThat(callers.failures()).as("calls failed during the rolling update (%d succeeded)", callers.ok())
                    .isEmpty();
            assertThat(callers.ok()).isGreaterThan(100);
        }
    }

    @Test
    @Order(5)
    void gatewayRestart_leavesRunningFunctionsUntouched() throws Exception {
        Set<String> pods = podNames("java-echo");
        gateway.restart();

        await().atMost(Duration.ofSeconds(60)).until(() ->
                grpc().get(GetRequest.newBuilder().setName("java-echo").build()).getReadyReplicas() == 3);
        assertThat(podNames("java-echo")).isEqualTo(pods);
        assertThat(grpc().get(GetRequest.newBuilder().setName("java-echo").build()).getSpec().getEnvironmentMap())
                .containsEntry("GREETING", "updated");
        assertThat(post("java-echo", "after a restart").body()).isEqualTo("after a restart");
    }

    @Test
    @Order(6)
    void logs_namePodsAndEnd() {
        Iterator<LogLine> lines = grpc().logs(LogsRequest.newBuilder().setName("python-echo").setTail(50).build());
        List<LogLine> all = new ArrayList<>();
        lines.forEachRemaining(all::add);

        assertThat(all).isNotEmpty();
        assertThat(all).allSatisfy(l -> assertThat(l.getReplicaName()).startsWith("python-echo-"));
    }

    @Test
    @Order(7)
    void delete_removesEverything_andCallsGet404() throws Exception {
        for (String fn : List.of("java-echo", "python-echo")) {
            grpc().delete(DeleteRequest.newBuilder().setName(fn).build());
        }

        AppsV1Api apps = new AppsV1Api(Cluster.get().api());
        assertThat(apps.listNamespacedDeployment(namespace).execute().getItems()).isEmpty();
        assertThat(Cluster.get().core().listNamespacedService(namespace).execute().getItems()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> post("java-echo", "x").statusCode() == 404);
        assertThat(grpc().list(ListRequest.getDefaultInstance()).getFunctionsList()).isEmpty();
    }

    private static Set<String> podNames(String fn) {
        return grpc().get(GetRequest.newBuilder().setName(fn).build()).getReplicaStatusesList().stream()
                .map(ReplicaStatus::getName).collect(Collectors.toSet());
    }

    private static HttpResponse<String> post(String fn, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/function/" + fn))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
