package io.dcf.watcher;

import static io.dcf.watcher.TestWatcher.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlowControlTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final FakeServerCall<CallReply> call = new FakeServerCall<>();
    private RequestStream requests;

    @BeforeEach
    void setUp() {
        Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
        Watchdog watchdog = new Watchdog(timer, 60_000, null, millis -> { });
        requests = new RequestStream(call, watchdog, "fn", () -> { });
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
    }

    @Test
    void requestStream_asksTheTransportForOneMoreForEachRequestTaken() {
        requests.onNext(request("a"));
        requests.onNext(request("b"));
        requests.onNext(CallRequest.getDefaultInstance());
        assertThat(call.requested).hasValue(0);

        assertThat(requests.next().text()).isEqualTo("a");
        assertThat(call.requested).hasValue(1);
        assertThat(requests.next().text()).isEqualTo("b");
        assertThat(call.requested).hasValue(2);
        assertThat(requests.next().function()).as("defaults to the watcher's function").isEqualTo("fn");
    }

    @Test
    void requestStream_blocksUntilTheNextRequest_andEndsAtHalfClose() throws Exception {
        CompletableFuture<Boolean> hasNext = CompletableFuture.supplyAsync(requests::hasNext);
        assertThat(hasNext).isNotDone();

        requests.onNext(CallRequest.newBuilder().setContentType("text/csv").build());
        assertThat(hasNext.get(60, TimeUnit.SECONDS)).isTrue();
        requests.next();
        assertThat(requests.lastContentType()).isEqualTo("text/csv");

        requests.onCompleted();
        assertThat(requests.hasNext()).isFalse();
        assertThat(requests.hasNext()).isFalse();
    }

    @Test
    void requestStream_callerCancelled_endsTheHandlersIteration() {
        requests.onError(new RuntimeException("cancelled"));

        assertThatThrownBy(requests::hasNext).isInstanceOf(CancellationException.class);
    }

    @Test
    void replySink_waitsWhileTheCallerIsNotReady() throws Exception {
        ReplySink sink = new ReplySink(call, 1024);
        call.ready = false;
        AtomicReference<Thread> sender = new AtomicReference<>();
        CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> {
            sender.set(Thread.currentThread());
            try {
                return sink.send(CallReply.getDefaultInstance());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        await().until(() -> sender.get() != null && sender.get().getState() == Thread.State.WAITING);
        assertThat(call.sent).isEmpty();

        call.ready = true;
        call.onReady.run();

        assertThat(sent.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(call.sent).hasSize(1);
    }

    @Test
    void replySink_sendsNothingOnceTheCallEnded() throws Exception {
        ReplySink sink = new ReplySink(call, 1024);
        sink.cancelled();

        assertThat(sink.send(CallReply.getDefaultInstance())).isFalse();
        assertThat(sink.complete()).isFalse();
        assertThat(call.sent).isEmpty();
    }

    @Test
    void replySink_refusesRepliesLargerThanTheMessageLimit() {
        ReplySink sink = new ReplySink(call, 4);
        CallReply big = CallReply.newBuilder().setOutput(com.google.protobuf.ByteString.copyFromUtf8("0123456789")).build();

        assertThatThrownBy(() -> sink.send(big)).isInstanceOf(IllegalStateException.class)
                .hasMessage("reply of 12 bytes exceeds DCF_MAX_MESSAGE_BYTES (4)");
    }
}
