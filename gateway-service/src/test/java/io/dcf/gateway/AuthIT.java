package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.compat.DeleteFunctionRequest;
import io.dcf.proto.compat.Empty;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.compat.InvokeServiceRequest;
import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.DeployFollowRequest;
import io.dcf.proto.v1.DeployRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.HealthRequest;
import io.dcf.proto.v1.InfoRequest;
import io.dcf.proto.v1.InvokeRequest;
import io.dcf.proto.v1.ListRequest;
import io.dcf.proto.v1.LogsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Management needs the gateway's token, over gRPC (dcf.v1 and compat) and REST; health stays open; calls are audited. */
class AuthIT {

    @TempDir
    static Path tmp;

    static TestGateway gw;
    static Path log;

    @BeforeAll
    static void startGateway() {
        log = tmp.resolve("gateway.log");
        gw = TestGateway.start(tmp.resolve("home"), "--logging.file.name=" + log, "--dcf.gateway.metrics.auth=token");
        Path headers = TestGateway.javaFunction(tmp, "headers", """
                    public Response handle(Request request) {
                        return Response.text(request.text() + " authorization=" + request.header("authorization"));
                    }
                """);
        gw.deploy("secret-echo", headers, FunctionSpec.newBuilder().setRuntime("java").setAuth("token"));
        gw.deploy("open-echo", headers, FunctionSpec.newBuilder().setRuntime("java"));
    }

    @AfterAll
    static void stopGateway() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void localGateway_generatesItsTokenIntoDcfHome_ownerOnly() throws Exception {
        Path file = tmp.resolve("home/token");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(gw.token).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void grpcManagement_withoutToken_isUnauthenticated() {
        var anonymous = GatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS);

        assertUnauthenticated(() -> anonymous.list(ListRequest.getDefaultInstance()), "needs the gateway's token");
        assertUnauthenticated(() -> anonymous.delete(DeleteRequest.newBuilder().setName("x").build()), "Bearer");
        assertUnauthenticated(() -> anonymous.info(InfoRequest.getDefaultInstance()), "Bearer");
        assertUnauthenticated(() -> anonymous.logs(LogsRequest.newBuilder().setName("x").build()).hasNext(), "Bearer");
        assertUnauthenticated(() -> anonymous.deployFollow(DeployFollowRequest.newBuilder().setRequest(DeployRequest
                .newBuilder().setSpec(FunctionSpec.newBuilder().setName("sneaky").setRuntime("java"))).build())
                .hasNext(), "Bearer");
        assertThatThrownBy(() -> gw.grpc().get(GetRequest.newBuilder().setName("sneaky").build()))
                .hasMessageContaining("NOT_FOUND");
    }

    @Test
    void grpcManagement_withWrongToken_isUnauthenticated_withRightToken_works() {
        var wrong = GatewayGrpc.newBlockingStub(TestGateway.withToken(gw.anonymous, gw.token + "x"))
                .withDeadlineAfter(30, TimeUnit.SECONDS);

        assertUnauthenticated(() -> wrong.list(ListRequest.getDefaultInstance()), "not this gateway's token");
        assertThat(gw.grpc().list(ListRequest.getDefaultInstance()).getFunctionsList()).isNotNull();
    }

    @Test
    void health_isOpen() {
        assertThat(GatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS)
                .health(HealthRequest.getDefaultInstance()).getStatus()).isEqualTo("OK");
        assertThat(FxGatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS)
                .healthCheck(Empty.getDefaultInstance()).getMsg()).isEqualTo("OK");
        assertThat(gw.send("GET", "/system/health", null, null, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void metrics_withMetricsAuthToken_needsTheToken() {
        HttpResponse<byte[]> missing = gw.send("GET", "/metrics", null, null, Map.of());
        HttpResponse<byte[]> wrong = gw.send("GET", "/metrics", null, null, Map.of("Authorization", "Bearer nope"));
        HttpResponse<byte[]> right = gw.send("GET", "/metrics", null, null);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("www-authenticate")).contains("Bearer realm=\"dcf\"");
        assertThat(text(missing)).contains("dcf.gateway.metrics.auth=token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(text(right)).contains("jvm_memory_used_bytes");
    }

    @Test
    void compatManagement_withoutToken_isUnauthenticated() {
        var fx = FxGatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS);
        var dcf = io.dcf.proto.compat.GatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(30, TimeUnit.SECONDS);

        assertUnauthenticated(() -> fx.list(Empty.getDefaultInstance()), "Bearer");
        assertUnauthenticated(() -> dcf.delete(DeleteFunctionRequest.newBuilder().setFunctionName("x").build()), "Bearer");
        assertUnauthenticated(() -> dcf.info(Empty.getDefaultInstance()), "Bearer");
        assertThat(FxGatewayGrpc.newBlockingStub(gw.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .list(Empty.getDefaultInstance()).getFunctionsList()).isNotNull();
    }

    @Test
    void rest_withoutOrWithWrongToken_is401WithBearerChallenge() {
        HttpResponse<byte[]> missing = gw.send("GET", "/system/functions", null, null, Map.of());
        HttpResponse<byte[]> wrong = gw.send("DELETE", "/system/functions/x", null, null,
                Map.of("Authorization", "Bearer nope"));
        HttpResponse<byte[]> basic = gw.send("GET", "/system/info", null, null,
                Map.of("Authorization", "Basic dXNlcjpwYXNz"));
        HttpResponse<byte[]> right = gw.send("GET", "/system/functions", null, null);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("www-authenticate")).contains("Bearer realm=\"dcf\"");
        assertThat(text(missing)).startsWith("{\"code\":\"UNAUTHENTICATED\",\"message\":\"this call needs the gateway's token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(text(wrong)).contains("not this gateway's token");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(text(basic)).contains("is not 'Bearer <token>'");
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void managementCalls_areAuditedOnTheirOwnLogger_withoutTheToken() throws Exception {
        gw.send("DELETE", "/system/functions/audited-fn", null, null, Map.of("Authorization", "Bearer " + gw.token + "x"));
        assertThatThrownBy(() -> gw.grpc().delete(DeleteRequest.newBuilder().setName("audited-fn").build()))
                .isInstanceOf(StatusRuntimeException.class);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(log))
                .containsPattern("dcf\\.audit\\s.*caller=invalid-token peer=127\\.0\\.0\\.1:\\d+"
                        + " method=dcf\\.v1\\.Gateway/Delete function=- status=UNAUTHENTICATED")
                .containsPattern("dcf\\.audit\\s.*caller=token:[0-9a-f]{8} peer=127\\.0\\.0\\.1:\\d+"
                        + " method=dcf\\.v1\\.Gateway/Delete function=audited-fn status=NOT_FOUND"));
        assertThat(Files.readString(log)).doesNotContain(gw.token);
    }

    @Test
    void foreignHostName_isRefusedWith403_overHttpAndGrpc_loopbackNamesPass() throws Exception {
        String rebound = rawHttp("GET /system/health HTTP/1.1\r\nHost: evil.example:" + gw.port
                + "\r\nConnection: close\r\n\r\n");
        String invoke = rawHttp("POST /function/x HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
        String local = rawHttp("GET /system/health HTTP/1.1\r\nHost: localhost:" + gw.port
                + "\r\nConnection: close\r\n\r\n");

        assertThat(rebound).startsWith("HTTP/1.1 403 Forbidden").contains("{\"code\":\"PERMISSION_DENIED\",\"message\":"
                + "\"the gateway does not answer to the host name 'evil.example:" + gw.port + "'");
        assertThat(invoke).startsWith("HTTP/1.1 403 Forbidden");
        assertThat(local).startsWith("HTTP/1.1 200 OK");

        ManagedChannel evil = NettyChannelBuilder.forAddress("127.0.0.1", gw.port).usePlaintext()
                .overrideAuthority("evil.example:" + gw.port).build();
        ManagedChannel localhost = NettyChannelBuilder.forAddress("localhost", gw.port).usePlaintext().build();
        try {
            assertThatThrownBy(() -> GatewayGrpc.newBlockingStub(evil).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .health(HealthRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).contains("host name 'evil.example:");
                    });
            assertThat(GatewayGrpc.newBlockingStub(TestGateway.withToken(localhost, gw.token))
                    .withDeadlineAfter(30, TimeUnit.SECONDS).list(ListRequest.getDefaultInstance())).isNotNull();
        } finally {
            evil.shutdownNow();
            localhost.shutdownNow();
        }
    }

    @Test
    void crossOriginWrites_areRefused_sameOriginAndReadsPass() {
        HttpResponse<byte[]> foreign = gw.send("POST", "/function/no-such-fn", new byte[0], "text/plain",
                Map.of("Origin", "https://evil.example"));
        HttpResponse<byte[]> own = gw.send("POST", "/function/no-such-fn", new byte[0], "text/plain",
                Map.of("Origin", "http://127.0.0.1:" + gw.port));
        HttpResponse<byte[]> read = gw.send("GET", "/system/health", null, null, Map.of("Origin", "https://evil.example"));

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(text(foreign)).contains("cross-origin POST from 'https://evil.example' refused");
        assertThat(own.statusCode()).isEqualTo(404);
        assertThat(read.statusCode()).isEqualTo(200);
    }

    @Test
    void tokenFunction_overHttp_needsTheToken_whichTheHandlerNeverSees() {
        HttpResponse<byte[]> missing = gw.send("POST", "/function/secret-echo", bytes("hi"), "text/plain", Map.of());
        HttpResponse<byte[]> wrong = gw.send("POST", "/function/secret-echo/sub", bytes("hi"), "text/plain",
                Map.of("Authorization", "Bearer wrong"));
        HttpResponse<byte[]> right = gw.send("POST", "/function/secret-echo", bytes("hi"), "text/plain",
                Map.of("Authorization", "Bearer " + gw.token));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("www-authenticate")).contains("Bearer realm=\"dcf\"");
        assertThat(text(missing)).startsWith("{\"code\":\"UNAUTHENTICATED\",\"message\":\"function secret-echo"
                + " needs the gateway's token (auth: token): this call needs the gateway's token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(text(wrong)).contains("not this gateway's token");
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(text(right)).isEqualTo("hi authorization=null");
    }

    @Test
    void openFunction_overHttp_keepsTheCallersOwnAuthorization_butNeverGetsTheGatewayToken() {
        HttpResponse<byte[]> anonymous = gw.send("POST", "/function/open-echo", bytes("a"), "text/plain", Map.of());
        HttpResponse<byte[]> own = gw.send("POST", "/function/open-echo", bytes("b"), "text/plain",
                Map.of("Authorization", "Bearer app-jwt"));
        HttpResponse<byte[]> gateway = gw.send("POST", "/function/open-echo", bytes("c"), "text/plain",
                Map.of("Authorization", "Bearer " + gw.token));

        assertThat(text(anonymous)).isEqualTo("a authorization=null");
        assertThat(text(own)).isEqualTo("b authorization=Bearer app-jwt");
        assertThat(text(gateway)).isEqualTo("c authorization=null");
    }

    @Test
    void tokenFunction_overGrpc_dcfV1AndCompat_needsTheToken() throws Exception {
        var anonymous = GatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(60, TimeUnit.SECONDS);
        var fxAnonymous = FxGatewayGrpc.newBlockingStub(gw.anonymous).withDeadlineAfter(60, TimeUnit.SECONDS);
        InvokeRequest call = InvokeRequest.newBuilder().setFunction("secret-echo").setInput(TestGateway.bytes("x")).build();
        InvokeServiceRequest compatCall = InvokeServiceRequest.newBuilder().setService("secret-echo")
                .setInput(TestGateway.bytes("y")).build();

        assertUnauthenticated(() -> anonymous.invoke(call), "function secret-echo needs the gateway's token (auth: token)");
        assertUnauthenticated(() -> fxAnonymous.invoke(compatCall), "function secret-echo needs the gateway's token");
        assertThatThrownBy(() -> gw.invokesOn(gw.anonymous, List.of(call, call)))
                .hasRootCauseInstanceOf(StatusRuntimeException.class)
                .rootCause().hasMessageContaining("UNAUTHENTICATED: function secret-echo needs the gateway's token");
        assertThat(gw.grpc().invoke(call).getOutput().toStringUtf8()).isEqualTo("x authorization=null");
        assertThat(FxGatewayGrpc.newBlockingStub(gw.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .invoke(compatCall).getMsg()).isEqualTo("y authorization=null");
        assertThat(gw.invokesOn(gw.channel, List.of(call, call))).containsExactly("x authorization=null",
                "x authorization=null");
        assertThat(anonymous.invoke(call.toBuilder().setFunction("open-echo").build()).getOutput().toStringUtf8())
                .isEqualTo("x authorization=null");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends {@code request} as is on a new connection; returns the whole response as text. */
    private static String rawHttp(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertUnauthenticated(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
