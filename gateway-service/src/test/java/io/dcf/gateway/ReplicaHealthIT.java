package io.dcf.gateway;

import static io.dcf.gateway.TestGateway.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ReplicaStatus;
import io.dcf.proto.v1.ScaleRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defects 3 and 4 of issue 6 on a real gateway with real replicas: a handler that calls
 * System.exit, and handlers stuck in a loop past their timeout (Java and Python). The
 * gateway's drain timeout is a long 60 s here, so a fix that leans on it would show.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReplicaHealthIT {

    @TempDir
    static Path tmp;

    static TestGateway gw;
    static Path java;

    @BeforeAll
    static void startGateway() {
        gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.local.drain-timeout=60s");
        java = TestGateway.javaFunction(tmp, "misbehaving", """
                    @Override
                    public Response handle(Request request) {
                        switch (request.text()) {
                            case "exit" -> System.exit(7);
                            case "spin" -> {
                                long end = System.nanoTime() + 600_000_000_000L;
                                while (System.nanoTime() < end) {
                                    Thread.onSpinWait();
                                }
                            }
                            default -> {
                            }
                        }
                        return Response.of(request.input(), request.contentType());
                    }
                """);
    }

    @AfterAll
    static void stopGateway() {
        if (gw != null) {
            gw.close();
        }
    }

    private static FunctionSpec.Builder javaSpec(Duration timeout) {
        return FunctionSpec.newBuilder().setRuntime("java").setTimeout(Durations.fromMillis(timeout.toMillis()))
                .setHandler(HandlerRef.newBuilder().setName("Handler"));
    }

    private static ReplicaStatus replica(String name) {
        return gw.grpc().get(GetRequest.newBuilder().setName(name).build()).getReplicaStatuses(0);
    }

    private static Status invoke(String function, String input, Duration deadline) {
        try {
            gw.gateway.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .invoke(InvokeRequest.newBuilder().setFunction(function).setInput(bytes(input)).build());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    @Test
    void handlerCallingSystemExit_failsItsCallAtOnce_andTheStatusNeverShowsTheDeadProcessReady() {
        gw.deploy("exits", java, javaSpec(Duration.ofSeconds(30)));
        ReplicaStatus before = replica("exits");
        long exitAt = System.nanoTime();

        Status call = invoke("exits", "exit", Duration.ofSeconds(20));

        long failedAt = System.nanoTime();
        assertThat(call.getCode()).as("%s", call).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(call.getDescription()).contains("the handler called System.exit during the call");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ReplicaStatus now = replica("exits");
            return !(now.getState().equals("READY") && now.getPid() == before.getPid());
        });
        long outAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> invoke("exits", "hi", Duration.ofSeconds(20)).isOk());
        long servingAt = System.nanoTime();
        ReplicaStatus after = replica("exits");
        System.out.printf(Locale.ROOT, "ReplicaHealthIT System.exit: call failed after %.2f s, out of rotation after"
                + " %.2f s, serving again after %.2f s (%s)%n", (failedAt - exitAt) / 1e9, (outAt - exitAt) / 1e9,
                (servingAt - exitAt) / 1e9, after.getMessage());
        assertThat(after.getPid()).isNotEqualTo(before.getPid());
        assertThat(after.getMessage()).isEqualTo("exited with code 7");
    }

    @Test
    void stuckJavaHandler_getsItsReplicaRestartedWithTheReason() {
        gw.deploy("spins", java, javaSpec(Duration.ofSeconds(1)).putEnvironment("DCF_STUCK_GRACE_MS", "1000"));
        long before = replica("spins").getPid();

        assertThat(invoke("spins", "spin", Duration.ofSeconds(20)).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        awaitRestartedAsStuck("spins", before);
        assertThat(invoke("spins", "hi", Duration.ofSeconds(20)).isOk()).isTrue();
    }

    @Test
    void stuckPythonHandler_getsItsReplicaRestartedWithTheReason() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("spins-py"));
        Files.writeString(src.resolve("handler.py"), """
                import time

                def Handler(req):
                    if req.input == b"spin":
                        end = time.monotonic() + 600
                        while time.monotonic() < end:
                            pass
                    return req.input
                """);
        gw.deploy("spins-py", src, FunctionSpec.newBuilder().setRuntime("python")
                .setTimeout(Durations.fromMillis(1000)).putEnvironment("DCF_STUCK_GRACE_MS", "1000")
                .setHandler(HandlerRef.newBuilder().setFile("handler.py").setName("Handler")));
        long before = replica("spins-py").getPid();

        assertThat(invoke("spins-py", "spin", Duration.ofSeconds(20)).getCode())
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        awaitRestartedAsStuck("spins-py", before);
        assertThat(invoke("spins-py", "hi", Duration.ofSeconds(20)).isOk()).isTrue();
    }

    @Test
    void stuckReplica_scalesToZeroWithoutWaitingForItsHandler() {
        gw.deploy("spins-on", java, javaSpec(Duration.ofSeconds(1)).putEnvironment("DCF_STUCK_GRACE_MS", "600000"));
        assertThat(invoke("spins-on", "spin", Duration.ofSeconds(20)).getCode())
                .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        long pid = replica("spins-on").getPid();

        long started = System.nanoTime();
        gw.grpc().scale(ScaleRequest.newBuilder().setName("spins-on").setReplicas(0).build());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        System.out.printf(Locale.ROOT, "ReplicaHealthIT scale to 0 with a stuck handler: %d ms%n", took.toMillis());
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(took).as("well under the 60 s drain timeout").isLessThan(Duration.ofSeconds(30));
    }

    private static void awaitRestartedAsStuck(String function, long oldPid) {
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ReplicaStatus now = replica(function);
            return now.getState().equals("READY") && now.getPid() != oldPid;
        });
        ReplicaStatus now = replica(function);
        System.out.printf(Locale.ROOT, "ReplicaHealthIT %s: restarted and ready %.2f s after its call timed out%n",
                function, (System.nanoTime() - started) / 1e9);
        assertThat(now.getRestarts()).isEqualTo(1);
        assertThat(now.getMessage()).isEqualTo("restarted: call stuck past its timeout (exit code 75)");
    }
}
