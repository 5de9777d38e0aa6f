package io.dcf.cli;

import io.dcf.proto.v1.HealthRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayErrorsTest {

    private static final GatewayAddress GATEWAY = new GatewayAddress("localhost", 31113, "test");

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(Status.UNAVAILABLE.withDescription("io exception")
                                .withCause(new ConnectException("Connection refused: localhost/127.0.0.1:31113")),
                        "cannot reach the DCF gateway at localhost:31113 (connection refused); "
                                + "start it with ./dcf up or pass --gateway"),
                Arguments.of(Status.UNAVAILABLE.withDescription("function f has no ready replica"),
                        "function f has no ready replica"),
                Arguments.of(Status.NOT_FOUND.withDescription("function f not found: x"), "function f not found"),
                Arguments.of(Status.INTERNAL.withDescription("boom: division by zero"), "boom: division by zero"),
                Arguments.of(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 29.9s"),
                        "no answer from the DCF gateway at localhost:31113 within 30s (function f)"),
                Arguments.of(Status.DEADLINE_EXCEEDED.withDescription("CallOptions deadline exceeded after 29.999s."
                                + " Name resolution delay 0.000000000 seconds. [closed=[], open=[[buffered_nanos=2150,"
                                + " remote_addr=localhost/127.0.0.1:31113]]]"),
                        "no answer from the DCF gateway at localhost:31113 within 30s (function f)"),
                Arguments.of(Status.DEADLINE_EXCEEDED.withDescription("ClientCall started after CallOptions deadline"
                                + " was exceeded 0.001 seconds ago. Name resolution delay 0.000000000 seconds."),
                        "no answer from the DCF gateway at localhost:31113 within 30s (function f)"),
                Arguments.of(Status.DEADLINE_EXCEEDED.withDescription("function f timed out after 100 ms"),
                        "function f timed out after 100 ms"),
                Arguments.of(Status.INVALID_ARGUMENT, "the gateway answered INVALID_ARGUMENT"));
    }

    @ParameterizedTest
    @MethodSource("statuses")
    void gatewayStatuses_becomeOneLineAndExitCode2(Status status, String message) {
        CliException e = GatewayErrors.toCliException(new StatusRuntimeException(status), GATEWAY, "f",
                Duration.ofSeconds(30));

        assertThat(e.exitCode()).isEqualTo(ExitCode.GATEWAY);
        assertThat(e.getMessage()).isEqualTo(message).doesNotContain("\n");
    }

    @Test
    void clientTimeout_againstASilentServer_isOneClearSentence() throws Exception {
        // The kernel accepts the connection; nothing ever answers the HTTP/2 preface.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            GatewayAddress address = new GatewayAddress("127.0.0.1", silent.getLocalPort(), "test");
            try (GatewayClient client = GatewayClient.connect(address)) {
                assertThatThrownBy(() -> client.call("f", Duration.ofMillis(500),
                        stub -> stub.health(HealthRequest.getDefaultInstance())))
                        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.getMessage()).isEqualTo(
                                "no answer from the DCF gateway at 127.0.0.1:" + silent.getLocalPort()
                                        + " within 500ms (function f)"));
            }
        }
    }
}
