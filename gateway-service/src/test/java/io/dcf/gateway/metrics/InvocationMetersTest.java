package io.dcf.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvocationMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InvocationMeters meters = new InvocationMeters(registry);

    @Test
    void call_countedByCode_inflightWhileRunning() {
        Invocation first = meters.start("echo");
        Invocation second = meters.start("echo");
        assertThat(meters.inflight("echo")).isEqualTo(2);

        first.end(200);
        second.end(504);

        assertThat(meters.inflight("echo")).isZero();
        assertThat(total("echo", "200")).isEqualTo(1);
        assertThat(total("echo", "504")).isEqualTo(1);
        assertThat(meters.count("echo")).isEqualTo(2);
        assertThat(registry.get("gateway.function.invocation.started").tag("function_name", "echo").gauge().value())
                .isEqualTo(2);
        assertThat(registry.get("gateway.functions").tags("function_name", "echo", "code", "200").timer().count())
                .isEqualTo(1);
    }

    @Test
    void overhead_onlyForCallsThatReachedAReplica() {
        Invocation answered = meters.start("echo");
        answered.upstream(1_000);
        answered.end(200);
        meters.start("echo").end(413);

        assertThat(registry.get("dcf.gateway.overhead").timer().count()).isEqualTo(1);
    }

    @Test
    void stream_repliesEndTheOldestMessage_theStreamsEndEndsTheRest() {
        StreamInvocation stream = meters.startStream("echo");
        stream.sent();
        stream.sent();
        stream.sent();
        stream.replied();
        assertThat(meters.inflight("echo")).isEqualTo(2);

        stream.end(504);
        stream.sent(); // after the end: counted with the stream's code, never left in flight
        stream.end(200); // a second end changes nothing

        assertThat(meters.inflight("echo")).isZero();
        assertThat(total("echo", "200")).isEqualTo(1);
        assertThat(total("echo", "504")).isEqualTo(3);
        assertThat(registry.get("dcf.function.streams").tags("function_name", "echo", "code", "504").counter().count())
                .isEqualTo(1);
        assertThat(registry.find("dcf.function.streams").tags("code", "200").counter()).isNull();
    }

    @Test
    void unknownNames_shareOneLabel_andOutOfRangeCodesCountAs500() {
        meters.startUnknown().end(404);
        meters.startUnknown().end(404);
        meters.start("echo").end(0);

        assertThat(total(InvocationMeters.UNKNOWN, "404")).isEqualTo(2);
        assertThat(total("echo", "500")).isEqualTo(1);
    }

    @Test
    void forget_removesEveryMeterOfTheFunction() {
        meters.start("gone").end(200);
        meters.startStream("gone").end(200);
        meters.queueWait("gone", Duration.ofMillis(5));
        meters.coldStart("gone", Duration.ofSeconds(1));
        meters.start("kept").end(200);

        meters.forget("gone");

        assertThat(registry.getMeters()).noneMatch(m -> "gone".equals(m.getId().getTag("function_name")));
        assertThat(meters.count("gone")).isZero();
        assertThat(meters.count("kept")).isEqualTo(1);
    }

    @Test
    void retainOnly_forgetsUnlistedFunctions_keepsTheUnknownLabel() {
        meters.start("listed").end(200);
        meters.start("deleted-elsewhere").end(200);
        meters.startUnknown().end(404);

        meters.retainOnly(Set.of("listed"));

        assertThat(registry.getMeters()).noneMatch(m -> "deleted-elsewhere".equals(m.getId().getTag("function_name")));
        assertThat(total("listed", "200")).isEqualTo(1);
        assertThat(total(InvocationMeters.UNKNOWN, "404")).isEqualTo(1);
    }

    @Test
    void queueWaitAndColdStart_recordedPerFunction() {
        meters.queueWait("echo", Duration.ofMillis(250));
        meters.coldStart("echo", Duration.ofMillis(1500));
        meters.coldStart("echo", Duration.ofMillis(900));

        assertThat(registry.get("dcf.function.queue.wait").tag("function_name", "echo").timer().count()).isEqualTo(1);
        assertThat(registry.get("dcf.function.cold.start").tag("function_name", "echo").timer().count()).isEqualTo(2);
        assertThat(registry.get("dcf.function.cold.start").tag("function_name", "echo").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(2400);
    }

    private double total(String function, String code) {
        return registry.get("gateway.function.invocation").tags("function_name", function, "code", code)
                .counter().count();
    }
}
