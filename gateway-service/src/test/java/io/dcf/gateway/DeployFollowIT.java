package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.DeployEvent;
import io.dcf.proto.v1.DeployFollowRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HandlerRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeployFollow on a real gateway (local backend, real watcher processes): the build's events as
 * they happen, then {@code deploying}, then the status last; errors end the stream as the unary
 * Deploy ends; a caller that goes away mid-build leaves a deploy that still completes.
 */
class DeployFollowIT {

    @TempDir
    static Path tmp;

    static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(tmp.resolve("home"));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static DeployFollowRequest follow(String name, String runtime, Map<String, String> files, boolean update) {
        return DeployFollowRequest.newBuilder().setUpdate(update).setRequest(DeployRequest.newBuilder()
                .setSpec(FunctionSpec.newBuilder().setName(name).setRuntime(runtime)
                        .setHandler(HandlerRef.newBuilder().setName("Handler")))
                .setArtifact(Artifact.newBuilder().setSourceZip(ByteString.copyFrom(Zips.of(files))))).build();
    }

    private static String handler(String reply) {
        return """
                public final class Handler implements io.dcf.sdk.Handler {
                    public io.dcf.sdk.Response handle(io.dcf.sdk.Request r) {
                        return io.dcf.sdk.Response.text("%s" + r.text());
                    }
                }
                """.formatted(reply);
    }

    /** Reads the whole stream: each event described, or the error that ended it as its last line. */
    private static List<String> read(DeployFollowRequest request) {
        List<String> described = new ArrayList<>();
        Iterator<DeployEvent> events = gw.grpc().deployFollow(request);
        try {
            events.forEachRemaining(e -> described.add(describe(e)));
        } catch (StatusRuntimeException e) {
            described.add("error " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
        return described;
    }

    private static String describe(DeployEvent e) {
        return switch (e.getEventCase()) {
            case BUILD -> describe(e.getBuild());
            case DEPLOYING -> "deploying: " + e.getDeploying();
            case STATUS -> "status " + e.getStatus().getSpec().getName() + " ready=" + e.getStatus().getReadyReplicas()
                    + " generation=" + e.getStatus().getGeneration();
            default -> "?";
        };
    }

    private static String describe(BuildEvent e) {
        String phase = e.getPhase().name().substring("BUILD_PHASE_".length()).toLowerCase();
        return switch (e.getDetailCase()) {
            case LOG -> "  | " + e.getLog();
            case DONE -> "build " + e.getDone().getPhase().name().substring("BUILD_PHASE_".length()).toLowerCase();
            default -> "phase " + phase;
        };
    }

    @Test
    void deployFollow_javaSource_streamsEachPhaseInOrder_thenDeploying_thenTheReadyStatusLast() {
        List<String> events = read(follow("follow-java", "java", Map.of("Handler.java", handler("hi ")), false));

        assertThat(events).containsExactly(
                "phase extracting",
                "  | unzipping",
                "phase building",
                "  | compiling",
                "  | compiled 1 Java file into 1 class",
                "build succeeded",
                "deploying: deploying follow-java",
                "status follow-java ready=1 generation=1");
        HttpResponse<byte[]> reply = gw.post("/function/follow-java", "there".getBytes(StandardCharsets.UTF_8), null);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("hi there");
    }

    @Test
    void deployFollow_update_streamsTheRollingUpdate_andTheNewCodeAnswers() {
        read(follow("follow-upd", "java", Map.of("Handler.java", handler("v1 ")), false));

        List<String> events = read(follow("follow-upd", "java", Map.of("Handler.java", handler("v2 ")), true));

        assertThat(events).contains("phase building", "  | compiling", "build succeeded");
        assertThat(events.subList(events.size() - 2, events.size())).containsExactly(
                "deploying: updating follow-upd (replicas replaced one at a time)",
                "status follow-upd ready=1 generation=2");
        HttpResponse<byte[]> reply = gw.post("/function/follow-upd", "x".getBytes(StandardCharsets.UTF_8), null);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("v2 x");
    }

    @Test
    void deployFollow_compileError_streamsTheDiagnostic_thenEndsWithTheUnaryDeploysStatusAndMessage() {
        Map<String, String> broken = Map.of("Handler.java", "public class Handler { int x = \"text\"; }");
        StatusRuntimeException unary = (StatusRuntimeException) org.assertj.core.api.Assertions.catchThrowable(
                () -> gw.grpc().deploy(follow("follow-broken", "java", broken, false).getRequest()));

        List<String> events = read(follow("follow-broken", "java", broken, false));

        assertThat(unary.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(events).contains("  | compiling")
                .anyMatch(e -> e.startsWith("  | Handler.java:1: error: incompatible types"));
        assertThat(events.get(events.size() - 2)).isEqualTo("build failed");
        assertThat(events.get(events.size() - 1)).isEqualTo("error INVALID_ARGUMENT: "
                + unary.getStatus().getDescription());
        assertThat(events).noneMatch(e -> e.startsWith("deploying"));
        assertThatThrownBy(() -> gw.grpc().get(GetRequest.newBuilder().setName("follow-broken").build()))
                .hasMessageContaining("NOT_FOUND");
    }

    @Test
    void deployFollow_takenName_endsAlreadyExistsBeforeAnyBuild_unknownUpdate_endsNotFound() {
        read(follow("follow-taken", "java", Map.of("Handler.java", handler("")), false));

        List<String> again = read(follow("follow-taken", "java", Map.of("Handler.java", handler("")), false));
        List<String> unknown = read(follow("follow-nobody", "java", Map.of("Handler.java", handler("")), true));

        assertThat(again).containsExactly("error ALREADY_EXISTS: function follow-taken already exists");
        assertThat(unknown).hasSize(1);
        assertThat(unknown.get(0)).startsWith("error NOT_FOUND: ").contains("follow-nobody");
    }

    @Test
    void deployFollow_callerCancelsMidBuild_theDeployStillCompletesAsAWhole() throws Exception {
        List<DeployEvent> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Status> ended = new CompletableFuture<>();
        GatewayGrpc.newStub(gw.channel).withDeadlineAfter(120, TimeUnit.SECONDS).deployFollow(
                follow("follow-gone", "python", Map.of("handler.py", "def Handler(req):\n    return b'still here'\n",
                        "requirements.txt", "grpcio\n"), false),
                new ClientResponseObserver<DeployFollowRequest, DeployEvent>() {
                    private ClientCallStreamObserver<DeployFollowRequest> call;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<DeployFollowRequest> requestStream) {
                        call = requestStream;
                    }

                    @Override
                    public void onNext(DeployEvent event) {
                        received.add(event);
                        call.cancel("the caller goes away", null); // at the first event: the build has begun
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });

        assertThat(ended.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.CANCELLED);
        await().atMost(Duration.ofSeconds(180)).ignoreExceptions().untilAsserted(() -> assertThat(gw.grpc()
                .get(GetRequest.newBuilder().setName("follow-gone").build()).getReadyReplicas()).isEqualTo(1));
        HttpResponse<byte[]> reply = gw.post("/function/follow-gone", new byte[0], null);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("still here");
        assertThat(received).noneMatch(DeployEvent::hasStatus);
        try (Stream<Path> staged = Files.list(tmp.resolve("home/staging"))) {
            assertThat(staged).isEmpty();
        }
    }
}
