package io.dcf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.dcf.gateway.backend.WatcherContract;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The function images on the real cluster: the Java and Python echo images, made by
 * {@link E2eImages} on bases made from this machine's files and pushed to the cluster's
 * registry, run as pods with the watcher contract's environment and the backend's security
 * context (non-root verified by the kubelet, read-only root, no capabilities), and answer
 * gRPC calls at their pod IPs from this host.
 */
class FunctionImagesOnClusterIT {

    private static final System.Logger LOG = System.getLogger(FunctionImagesOnClusterIT.class.getName());
    private static TestPods pods;

    @BeforeAll
    static void cluster() throws Exception {
        pods = new TestPods(Cluster.get(), "dcf-e2e-images");
    }

    @AfterAll
    static void deletePods() {
        if (pods != null) {
            pods.close();
        }
    }

    @Test
    void javaEcho_runsAsNonRootWithReadOnlyRoot_answersAtItsPodIp() throws Exception {
        String image = E2eImages.javaEcho();

        String ip = start("java-echo", image, false);

        CallReply reply = call(ip, "java-echo", "hello from the e2e test", "text/plain");
        assertThat(reply.getOutput().toStringUtf8()).isEqualTo("hello from the e2e test");
        assertThat(reply.getContentType()).isEqualTo("text/plain");
        assertThat(pods.status("java-echo").getRestartCount()).isZero();
    }

    @Test
    void pythonEcho_runsAsNonRootWithReadOnlyRoot_answersAtItsPodIp() throws Exception {
        String image = E2eImages.pythonEcho();

        String ip = start("python-echo", image, true);

        CallReply reply = call(ip, "python-echo", "hello from the e2e test", "text/plain");
        assertThat(reply.getOutput().toStringUtf8()).isEqualTo("hello from the e2e test");
        assertThat(pods.status("python-echo").getRestartCount()).isZero();
    }

    /** Starts the pod with the environment a backend gives a replica; the image says where the code is. */
    private static String start(String name, String image, boolean python) throws Exception {
        FunctionSpec spec = FunctionSpec.newBuilder().setName(name)
                .setHandler(HandlerRef.newBuilder().setName("Handler")).build();
        Map<String, String> env = WatcherContract.of(spec, Duration.ofSeconds(30)).maxConcurrency(8)
                .environment(Map.of());
        assertThat(env).containsEntry("DCF_WATCHER_HOST", "0.0.0.0").containsEntry("DCF_WATCHER_PORT", "50051")
                .doesNotContainKeys("DCF_HANDLER_PATH", "DCF_FUNCTION_DIR");
        long start = System.nanoTime();
        String ip = pods.start(name, TestPods.Spec.watcher(image, env));
        LOG.log(Level.INFO, "{0} ({1}) Ready at {2} in {3} ms", name, python ? "python" : "java", ip,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return ip;
    }

    private static CallReply call(String ip, String function, String input, String contentType) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(ip, TestPods.WATCHER_PORT).usePlaintext().build();
        try {
            assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .as("health of %s at %s", function, ip).isEqualTo(ServingStatus.SERVING);
            return WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .call(CallRequest.newBuilder().setInput(ByteString.copyFromUtf8(input))
                            .setContentType(contentType).setFunction(function).build());
        } finally {
            channel.shutdownNow();
        }
    }
}
