package io.dcf.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "OK, 200",
        "NOT_FOUND, 404",
        "ALREADY_EXISTS, 409",
        "INVALID_ARGUMENT, 400",
        "UNAUTHENTICATED, 401",
        "PERMISSION_DENIED, 403",
        "RESOURCE_EXHAUSTED, 429",
        "DEADLINE_EXCEEDED, 504",
        "UNAVAILABLE, 503",
        "UNIMPLEMENTED, 501",
        "INTERNAL, 500",
        "UNKNOWN, 500",
        "FAILED_PRECONDITION, 500",
        "ABORTED, 500",
        "CANCELLED, 499",
        "DATA_LOSS, 500",
    })
    void httpStatus_followsTheTable(Status.Code code, int http) {
        assertThat(ErrorMapping.httpStatus(code)).isEqualTo(HttpStatus.valueOf(http));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "400, INVALID_ARGUMENT",
        "401, UNAUTHENTICATED",
        "403, PERMISSION_DENIED",
        "404, NOT_FOUND",
        "409, ALREADY_EXISTS",
        "413, RESOURCE_EXHAUSTED",
        "429, RESOURCE_EXHAUSTED",
        "501, UNIMPLEMENTED",
        "503, UNAVAILABLE",
        "504, DEADLINE_EXCEEDED",
        "499, CANCELLED",
        "500, INTERNAL",
        "418, INTERNAL",
    })
    void grpcCode_readsTheTableBackwards(int http, Status.Code code) {
        assertThat(ErrorMapping.grpcCode(HttpStatus.valueOf(http))).isEqualTo(code);
    }

    @Test
    void toStatus_domainExceptionsKeepTheirCodeAndMessage() {
        assertThat(ErrorMapping.toStatus(new FunctionNotFoundException("echo")))
                .satisfies(s -> {
                    assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(s.getDescription()).isEqualTo("function echo not found");
                });
        assertThat(ErrorMapping.toStatus(new CompletionException(new FunctionAlreadyExistsException("echo"))).getCode())
                .isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(ErrorMapping.toStatus(new InvalidFunctionSpecException("bad")).getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(ErrorMapping.toStatus(new BackendUnavailableException("down")).getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void toStatus_unexpectedExceptionsHideTheirMessage() {
        Status status = ErrorMapping.toStatus(new NullPointerException("secret internals"));
        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).doesNotContain("secret").contains("NullPointerException");
    }

    @Test
    void toStatus_grpcStatusPassesThrough() {
        Status status = ErrorMapping.toStatus(Status.DEADLINE_EXCEEDED.withDescription("slow").asRuntimeException());
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).isEqualTo("slow");
    }
}
