package io.dcf.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RelayWindowTest {

    private final AtomicBoolean receiverReady = new AtomicBoolean();
    private final AtomicInteger requested = new AtomicInteger();
    private final RelayWindow window = new RelayWindow(100, receiverReady::get, requested::incrementAndGet);

    @Test
    void passed_underTheWindow_asksForTheNextAtOnce() {
        window.passed(40);
        window.passed(40);

        assertThat(requested).hasValue(2);
        assertThat(window.isWaiting()).isFalse();
    }

    @Test
    void passed_fillingTheWindow_waitsUntilTheReceiverDrains() {
        window.passed(60);
        window.passed(40); // 100 pending: full

        assertThat(requested).hasValue(1);
        assertThat(window.isWaiting()).isTrue();

        window.drained();

        assertThat(requested).hasValue(2);
        assertThat(window.isWaiting()).isFalse();
    }

    @Test
    void passed_oneMessageLargerThanTheWindow_stillGoesThroughOneAtATime() {
        window.passed(500);
        assertThat(requested).hasValue(0);

        window.drained();
        window.passed(500);

        assertThat(requested).hasValue(1);
        assertThat(window.isWaiting()).isTrue();
    }

    @Test
    void passed_whileTheReceiverHasTakenEverything_countsNothingPending() {
        receiverReady.set(true);
        window.passed(500); // already on its way: nothing is held

        assertThat(requested).hasValue(1);
        assertThat(window.isWaiting()).isFalse();
    }

    @Test
    void drained_withNobodyWaiting_asksForNothing() {
        window.passed(10);
        window.drained();
        window.drained();

        assertThat(requested).hasValue(1);
    }

    @Test
    void drained_forgetsWhatWasPending() {
        window.passed(90);
        window.drained();
        window.passed(90); // 90, not 180: the first was taken

        assertThat(requested).hasValue(2);
    }

    @Test
    void constructor_refusesAnEmptyWindow() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RelayWindow(0, () -> true, () -> { }))
                                            .withMessage("windowBytes: 0 (expected: > 0)");
    }
}
