package io.dcf.gateway.build.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.Artifact;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildEvent;
import io.dcf.proto.v1.BuildPhase;
import io.dcf.proto.v1.BuildProgress;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.FunctionSpec;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's side of dcf.v1.Builder against a scripted Builder on a real loopback port:
 * chunk order and size, the token, events followed to the end, refusals, failures, the
 * deadline (and the cancel it sends), an unreachable service.
 */
class BuildServiceFunctionBuilderTest {

    private static final String IMAGE = "127.0.0.1:5000/hello@sha256:" + "a".repeat(64);
    private static final FunctionSpec SPEC = FunctionSpec.newBuilder().setName("hello").setRuntime("java").build();

    private final ScriptedBuilder service = new ScriptedBuilder();
    private BuildServiceFunctionBuilder builder;

    @AfterEach
    void close() {
        if (builder != null) {
            builder.close();
        }
        service.close();
    }

    private BuildServiceFunctionBuilder builder(Duration timeout) {
        builder = BuildServiceFunctionBuilder.of(new BuildServiceSettings(service.address(), "builds.example:443",
                timeout, () -> Optional.of("tok-1")));
        return builder;
    }

    private static Artifact zip(byte[] bytes) {
        return Artifact.newBuilder().setSourceZip(ByteString.copyFrom(bytes)).build();
    }

    private static BuildEvent event(BuildPhase phase) {
        return BuildEvent.newBuilder().setId("b-1").setPhase(phase).setTime(Timestamp.getDefaultInstance()).build();
    }

    private static BuildEvent done(BuildPhase phase, String image, String message) {
        return event(phase).toBuilder().setDone(BuildStatus.newBuilder().setId("b-1").setFunction("hello")
                .setPhase(phase).setImage(image).setMessage(message)).build();
    }

    private void succeeds() {
        service.events = List.of(event(BuildPhase.BUILD_PHASE_BUILDING).toBuilder().setLog("compiling 1 file").build(),
                event(BuildPhase.BUILD_PHASE_PUSHING).toBuilder().setProgress(BuildProgress.newBuilder().setDone(1)
                        .setTotal(3).setUnit("layers")).build(),
                done(BuildPhase.BUILD_PHASE_SUCCEEDED, IMAGE, ""));
    }

    @Test
    void build_sourceZip_startThenOrderedChunksOfAtMostOneMebibyteWithTheToken_returnsTheDigest() {
        byte[] bundle = new byte[(5 << 20) / 2]; // 2.5 MiB: three data chunks
        new Random(7).nextBytes(bundle);
        succeeds();

        BuiltFunction built = builder(Duration.ofMinutes(1)).build(SPEC, zip(bundle));

        assertThat(built).isEqualTo(BuiltFunction.image("b-1", IMAGE));
        assertThat(service.chunks.get(0).hasStart()).isTrue();
        assertThat(service.chunks.get(0).getStart().getSpec()).isEqualTo(SPEC);
        assertThat(service.chunks.get(0).getStart().getBundleFormat()).isEqualTo("zip");
        assertThat(service.chunks.get(0).getStart().getBundleBytes()).isEqualTo(bundle.length);
        assertThat(service.chunks.subList(1, service.chunks.size())).allMatch(BuildChunk::hasData)
                .extracting(c -> c.getData().size()).containsExactly(1 << 20, 1 << 20, (1 << 19));
        assertThat(service.bundle().toByteArray()).isEqualTo(bundle);
        assertThat(service.authorizations).containsExactly("Bearer tok-1");
        assertThat(builder.buildService()).isEqualTo("builds.example:443");
    }

    @Test
    void build_jar_uploadsAZipHoldingFunctionJar() throws IOException {
        byte[] jar = {1, 2, 3, 4};
        succeeds();

        builder(Duration.ofMinutes(1)).build(SPEC, Artifact.newBuilder().setJar(ByteString.copyFrom(jar)).build());

        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(service.bundle().toByteArray()))) {
            ZipEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("function.jar");
            assertThat(in.readAllBytes()).isEqualTo(jar);
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void build_refusedBundle_invalidArgumentWithTheServicesMessage() {
        service.uploadAnswer = chunks -> Status.INVALID_ARGUMENT.withDescription("bundle entry '../x' leaves the"
                + " function's directory");

        assertThatThrownBy(() -> builder(Duration.ofMinutes(1)).build(SPEC, zip(new byte[100])))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo("function hello: uploading the code to build-service:"
                            + " bundle entry '../x' leaves the function's directory");
                });
    }

    @Test
    void build_refusedMidUpload_stopsSendingAndReportsResourceExhausted() {
        service.refuseAfter = 1;

        assertThatThrownBy(() -> builder(Duration.ofMinutes(1)).build(SPEC, zip(new byte[8 << 20])))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getMessage()).contains("function hello", "larger than 1 MiB");
                });
        assertThat(service.chunks.stream().filter(BuildChunk::hasData).count()).isLessThan(8);
    }

    @Test
    void build_buildFails_failedPreconditionWithTheBuildIdAndItsMessage() {
        service.events = List.of(done(BuildPhase.BUILD_PHASE_FAILED, "", "Hello.java:1: error: ';' expected"));

        assertThatThrownBy(() -> builder(Duration.ofMinutes(1)).build(SPEC, zip(new byte[10])))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).isEqualTo("function hello: build b-1 failed: Hello.java:1: error:"
                            + " ';' expected");
                });
    }

    @Test
    void build_pastTheTimeout_deadlineExceededNamingTheSettingAndTheBuildIsCancelled() {
        service.events = List.of(event(BuildPhase.BUILD_PHASE_BUILDING));
        service.hang = true;

        assertThatThrownBy(() -> builder(Duration.ofSeconds(2)).build(SPEC, zip(new byte[10])))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                    assertThat(e.getMessage()).contains("function hello", "build b-1",
                            "dcf.gateway.build-service.timeout");
                });
        await().atMost(Duration.ofSeconds(20)).until(() -> service.cancelled.contains("b-1"));
    }

    @Test
    void build_eventsEndWithoutADoneEvent_unavailable() {
        service.events = List.of(event(BuildPhase.BUILD_PHASE_BUILDING));

        assertThatThrownBy(() -> builder(Duration.ofMinutes(1)).build(SPEC, zip(new byte[10])))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("function hello", "before the build ended");
                });
    }

    @Test
    void build_serviceUnreachable_unavailableNamingItsAddress() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        builder = BuildServiceFunctionBuilder.of(new BuildServiceSettings("127.0.0.1:" + closed, "",
                Duration.ofSeconds(30), Optional::empty));

        assertThatThrownBy(() -> builder.build(SPEC, zip(new byte[10])))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("function hello", "build-service at 127.0.0.1:" + closed);
                });
    }

    @Test
    void build_noSource_usesTheSpecsImageAsItIsOrSaysItIsMissing() {
        BuildServiceFunctionBuilder builder = builder(Duration.ofMinutes(1));

        assertThat(builder.build(SPEC.toBuilder().setImage("r/echo:1").build(), Artifact.getDefaultInstance()))
                .isEqualTo(BuiltFunction.prebuilt("r/echo:1"));
        assertThatThrownBy(() -> builder.build(SPEC, Artifact.getDefaultInstance()))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("function hello", "image: missing");
                });
        assertThatThrownBy(() -> builder.build(SPEC, Artifact.newBuilder().setLocalPath("/srv/fn").build()))
                .isInstanceOfSatisfying(DcfException.class, e -> {
                    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("function hello", "artifact.local_path");
                });
        assertThat(service.chunks).isEmpty();
    }
}
