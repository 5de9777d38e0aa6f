package io.dcf.gateway.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.dcf.gateway.error.DcfException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionVersion;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class FunctionVersionsTest {

    private static final FunctionSpec SPEC = FunctionSpec.newBuilder().setName("fn").setRuntime("java").build();

    private static FunctionVersions history(int count, int limit) {
        FunctionVersions history = FunctionVersions.empty("fn");
        for (int v = 1; v <= count; v++) {
            history = history.record(FunctionVersions.entry(v, v == 1 ? "deploy" : "update-model", SPEC,
                    Timestamp.newBuilder().setSeconds(v).build()).build(), limit);
        }
        return history;
    }

    @Test
    void record_putsTheNewestFirst_marksOnlyItCurrent_andDropsTheOldestPastTheLimit() {
        FunctionVersions history = history(5, 3);
        assertThat(history.list()).extracting(FunctionVersion::getVersion).containsExactly(5L, 4L, 3L);
        assertThat(history.list()).extracting(FunctionVersion::getCurrent).containsExactly(true, false, false);
    }

    @Test
    void json_roundTrips() throws Exception {
        FunctionVersions history = history(3, 20);
        assertThat(FunctionVersions.fromJson("fn", history.toJson()).list()).isEqualTo(history.list());
    }

    @Test
    void rollbackTarget_default_isTheNewestAvailableBeforeTheCurrent() {
        FunctionVersions history = history(4, 20).withAvailability(v -> v != 3);
        assertThat(history.rollbackTarget(0).getVersion()).isEqualTo(2);
        assertThat(history.rollbackTarget(2).getVersion()).isEqualTo(2);
    }

    @Test
    void rollbackTarget_refusals_sayWhy() {
        FunctionVersions history = history(3, 20).withAvailability(v -> v != 1);
        assertThatThrownBy(() -> history.rollbackTarget(7)).isInstanceOfSatisfying(DcfException.class,
                e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND)).hasMessageContaining("known: 3, 2, 1");
        assertThatThrownBy(() -> history.rollbackTarget(3)).hasMessageContaining("is the current version");
        assertThatThrownBy(() -> history.rollbackTarget(1)).isInstanceOfSatisfying(DcfException.class,
                e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
                .hasMessageContaining("can no longer be rolled back to");
        assertThatThrownBy(() -> history.rollbackTarget(-1)).isInstanceOfSatisfying(DcfException.class,
                e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> history(1, 20).withAvailability(v -> true).rollbackTarget(0))
                .hasMessageContaining("has no earlier version");
    }
}
