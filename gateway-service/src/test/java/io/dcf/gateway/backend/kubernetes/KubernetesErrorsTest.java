package io.dcf.gateway.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.gateway.error.DcfException;
import io.grpc.Status;
import io.kubernetes.client.openapi.ApiException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KubernetesErrorsTest {

    @ParameterizedTest(name = "HTTP {0} {1} on {2} -> {3}")
    @CsvSource({
            "400, BadRequest, create, INVALID_ARGUMENT",
            "401, Unauthorized, list, UNAVAILABLE",
            "403, Forbidden, create, PERMISSION_DENIED",
            "404, NotFound, read, NOT_FOUND",
            "409, AlreadyExists, create, ALREADY_EXISTS",
            "409, Invalid, create, ALREADY_EXISTS",
            "409, Conflict, replace, ABORTED",
            "410, Expired, list, ABORTED",
            "422, Invalid, create, INVALID_ARGUMENT",
            "429, TooManyRequests, create, UNAVAILABLE",
            "500, InternalError, create, UNAVAILABLE",
            "503, ServiceUnavailable, create, UNAVAILABLE",
            "504, Timeout, create, DEADLINE_EXCEEDED",
            "507, '', create, UNAVAILABLE",
            "418, '', create, INTERNAL",
            "0, '', create, UNAVAILABLE",
    })
    void code_byHttpStatus(int http, String reason, String verb, Status.Code expected) {
        assertThat(KubernetesErrors.code(http, reason, verb)).isEqualTo(expected);
    }

    @Test
    void map_namesTheObjectAndQuotesTheApiServer() {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                + "\"Deployment.apps \\\"echo\\\" is invalid: spec.template.spec.containers[0].image: Required value\","
                + "\"reason\":\"Invalid\",\"code\":422}";

        DcfException e = KubernetesErrors.map(new ApiException(422, Map.of(), body), "create", "Deployment", "dcf-fn",
                "echo");

        assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getMessage()).isEqualTo("cannot create Deployment dcf-fn/echo: Deployment.apps \"echo\" is"
                + " invalid: spec.template.spec.containers[0].image: Required value (HTTP 422, Invalid)");
    }

    @Test
    void map_forbidden_saysWhatTheGatewayMayNotDo() {
        String body = "{\"kind\":\"Status\",\"message\":\"deployments.apps is forbidden: User"
                + " \\\"system:serviceaccount:dcf:dcf-gateway\\\" cannot create resource \\\"deployments\\\"\","
                + "\"reason\":\"Forbidden\",\"code\":403}";

        DcfException e = KubernetesErrors.map(new ApiException(403, Map.of("a", List.of("b")), body), "create",
                "Deployment", "dcf-fn", "echo");

        assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("cannot create Deployment dcf-fn/echo: deployments.apps is forbidden",
                "(HTTP 403, Forbidden)");
    }

    @Test
    void map_bodyNotJson_keepsTheHttpStatusWithoutInternals() {
        DcfException e = KubernetesErrors.map(new ApiException(502, Map.of(), "<html>bad gateway</html>"), "list",
                "Pod", "dcf-fn", "");

        assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getMessage()).startsWith("cannot list Pod dcf-fn: ").endsWith("(HTTP 502)");
    }

    @Test
    void map_noAnswer_saysTheApiServerDidNotAnswer() {
        DcfException e = KubernetesErrors.map(new ApiException(new ConnectException("refused")), "create",
                "Deployment", "dcf-fn", "echo");

        assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo("cannot create Deployment dcf-fn/echo: the Kubernetes API server did"
                + " not answer (connection refused)");
    }
}
