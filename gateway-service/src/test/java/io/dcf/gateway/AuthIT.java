package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.compat.DeleteFunctionRequest;
import io.dcf.proto.compat.Empty;
import io.dcf.proto.compat.FxGatewayGrpc;
import io.dcf.proto.v1.DeleteRequest;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.HealthRequest;
import io.dcf.proto.v1.InfoRequest;
import io.dcf.proto.v1.ListRequest;
import io.dcf.proto.v1.LogsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
        gw = TestGateway.start(tmp.resolve("home"), "--logging.file.name=" + log);
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
