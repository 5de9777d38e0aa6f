package io.dcf.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.sdk.ErrorCode;
import io.dcf.sdk.FunctionException;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusesTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void functionException_mapsToTheGrpcCodeOfTheSameName(ErrorCode code) {
        Status status = Statuses.of(new FunctionException(code, "why"));

        assertThat(status.getCode().name()).isEqualTo(code.name());
        assertThat(status.getDescription()).isEqualTo("why");
    }

    @Test
    void otherExceptions_areInternal_withTheirMessageOrClassName() {
        assertThat(Statuses.of(new IllegalArgumentException("bad")).getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(Statuses.of(new IllegalArgumentException("bad")).getDescription()).isEqualTo("bad");
        assertThat(Statuses.of(new NullPointerException()).getDescription()).isEqualTo("NullPointerException");
        assertThat(Statuses.of(new OutOfMemoryError("Java heap space")).getDescription()).isEqualTo("Java heap space");
    }

    @Test
    void refusals_sayWhy() {
        assertThat(Statuses.timedOut("f", 300).getDescription()).isEqualTo("function f timed out after 300 ms");
        assertThat(Statuses.atLimit("f", 64).getDescription()).isEqualTo("function f is at its concurrency limit (64)");
        assertThat(Statuses.loading("f").getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(Statuses.loading("f").getDescription()).isEqualTo("function f is still loading");
        assertThat(Statuses.draining("f").getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(Statuses.draining("f").getDescription()).isEqualTo("function f is draining");
    }

    @Test
    void refusals_carryTheRefusedTrailer_handlerFailuresDoNot() {
        assertThat(Statuses.toException(Statuses.loading("f")).getTrailers().get(Statuses.REFUSED)).isEqualTo("loading");
        assertThat(Statuses.toException(Statuses.draining("f")).getTrailers().get(Statuses.REFUSED))
                .isEqualTo("draining");
        assertThat(Statuses.toException(Statuses.atLimit("f", 2)).getTrailers().get(Statuses.REFUSED))
                .isEqualTo("at-limit");
        assertThat(Statuses.toException(Statuses.of(new FunctionException(ErrorCode.UNAVAILABLE, "f is draining")))
                .getTrailers().get(Statuses.REFUSED)).isNull();
        assertThat(Statuses.toException(Statuses.timedOut("f", 1)).getTrailers().get(Statuses.REFUSED)).isNull();
        assertThat(Statuses.toException(Statuses.draining("f")).getStatus().getCause()).isNull();
    }
}
