package io.dcf.gateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.gateway.LogCapture;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExpectedEndLogTest {

    private static final Status AT_LIMIT =
            Status.RESOURCE_EXHAUSTED.withDescription("function f is at its concurrency limit (1)");

    private final AtomicLong now = new AtomicLong(1_000);
    private final ExpectedEndLog ends = new ExpectedEndLog(Duration.ofSeconds(10), now::get);
    @RegisterExtension
    final LogCapture logs = LogCapture.of(ExpectedEndLog.class);

    @Test
    void burst_logsOneLinePerWindow_thenCountsWhatItHeldBack() {
        for (int i = 0; i < 1_000; i++) {
            ends.record("f", AT_LIMIT);
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        ends.record("f", AT_LIMIT);

        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "function=f call ended RESOURCE_EXHAUSTED: function f is at its concurrency limit (1)",
                "function=f call ended RESOURCE_EXHAUSTED: function f is at its concurrency limit (1)"
                + " (999 more like it not logged in the last 10 s)");
        assertThat(logs.events()).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void eachFunctionAndCode_hasItsOwnWindow() {
        assertThat(ends.record("f", AT_LIMIT)).isTrue();
        assertThat(ends.record("g", AT_LIMIT)).isTrue();
        assertThat(ends.record("f", Status.DEADLINE_EXCEEDED.withDescription("function f timed out"))).isTrue();
        assertThat(ends.record("f", Status.CANCELLED.withDescription("the caller cancelled the stream"))).isTrue();
        assertThat(ends.record("f", AT_LIMIT)).isFalse();
    }

    @Test
    void unexpectedCodes_areNotLoggedHere() {
        assertThat(ends.record("f", Status.INTERNAL.withDescription("boom"))).isFalse();
        assertThat(ends.record("f", Status.UNAVAILABLE)).isFalse();
        assertThat(logs.events()).isEmpty();
    }
}
