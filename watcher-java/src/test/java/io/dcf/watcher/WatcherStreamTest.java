package io.dcf.watcher;

import static io.dcf.watcher.TestWatcher.request;
import static io.dcf.watcher.WatcherCallTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.CallRequest;
import io.dcf.watcher.fixtures.DoublingStreamHandler;
import io.dcf.watcher.fixtures.Probe;
import io.dcf.watcher.fixtures.ScriptedHandler;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WatcherStreamTest extends WatcherTestSupport {

    private TestWatcher start(Class<?> handler, String... overrides) throws Exception {
        Map<String, String> env = TestWatcher.env(handler, dir);
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        running = TestWatcher.loaded(env);
        return running;
    }

    @Test
    void calls_plainHandler_repliesToEachMessageInOrder() throws Exception {
        start(ScriptedHandler.class);
        StreamRecorder recorder = new StreamRecorder();
        StreamObserver<CallRequest> requests = running.async().calls(recorder);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add("message-" + i);
            requests.onNext(request("message-" + i));
        }
        requests.onCompleted();

        recorder.done.get(60, TimeUnit.SECONDS);
        assertThat(recorder.replies).containsExactlyElementsOf(sent);
    }

    @Test
    void calls_streamHandler_sendsEveryReplyItEmits() throws Exception {
        start(DoublingStreamHandler.class);
        StreamRecorder recorder = new StreamRecorder();
        StreamObserver<CallRequest> requests = running.async().calls(recorder);
        requests.onNext(request("a"));
        await().untilAsserted(() -> assertThat(recorder.replies).containsExactly("a-1", "a-2"));
        requests.onNext(request("b"));
        requests.onNext(request("c"));
        requests.onCompleted();

        recorder.done.get(60, TimeUnit.SECONDS);
        assertThat(recorder.replies).containsExactly("a-1", "a-2", "b-1", "b-2", "c-1", "c-2");
        assertThat(Probe.inits).hasValue(1);
    }

    @Test
    void call_onStreamHandler_answersWithItsFirstReply() throws Exception {
        start(DoublingStreamHandler.class);

        assertThat(running.blocking().call(request("x")).getOutput().toStringUtf8()).isEqualTo("x-1");
    }

    @Test
    void calls_handlerFails_endsTheStreamWithItsStatus() throws Exception {
        start(DoublingStreamHandler.class);
        StreamRecorder recorder = new StreamRecorder();
        StreamObserver<CallRequest> requests = running.async().calls(recorder);
        requests.onNext(request("a"));
        requests.onNext(request("throw"));

        Status status = endStatus(recorder);
        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo("stream refused");
        assertThat(recorder.replies).containsExactly("a-1", "a-2");
    }

    @Test
    void calls_messagePastTimeout_endsTheStreamWithDeadlineExceeded() throws Exception {
        start(ScriptedHandler.class, "DCF_TIMEOUT_MS", "300");
        StreamRecorder recorder = new StreamRecorder();
        StreamObserver<CallRequest> requests = running.async().calls(recorder);
        requests.onNext(request("first"));
        requests.onNext(request("sleep:120000"));

        Status status = endStatus(recorder);
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).isEqualTo("function echo timed out after 300 ms");
        assertThat(recorder.replies).containsExactly("first");
        await().untilAsserted(() -> assertThat(Probe.interrupts).hasValue(1));
    }

    @Test
    void calls_idleStreamLongerThanTimeout_isNotTimedOut() throws Exception {
        start(ScriptedHandler.class, "DCF_TIMEOUT_MS", "200");
        StreamRecorder recorder = new StreamRecorder();
        StreamObserver<CallRequest> requests = running.async().calls(recorder);
        requests.onNext(request("one"));
        await().untilAsserted(() -> assertThat(recorder.replies).containsExactly("one"));
        // The caller, not the handler, is slow: waiting for the next message does not count.
        await().pollDelay(Duration.ofMillis(600)).until(() -> true);
        requests.onNext(request("two"));
        requests.onCompleted();

        recorder.done.get(60, TimeUnit.SECONDS);
        assertThat(recorder.replies).containsExactly("one", "two");
    }

    @Test
    void calls_openStream_holdsOneConcurrencyPermit() throws Exception {
        start(ScriptedHandler.class, "DCF_MAX_CONCURRENCY", "1");
        StreamRecorder recorder = new StreamRecorder();
        StreamObserver<CallRequest> requests = running.async().calls(recorder);
        requests.onNext(request("open"));
        await().untilAsserted(() -> assertThat(recorder.replies).containsExactly("open"));

        StatusRuntimeException error = failure(() -> running.blocking().call(request("unary")));
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        requests.onCompleted();
        recorder.done.get(60, TimeUnit.SECONDS);
        await().ignoreExceptions().untilAsserted(() ->
                assertThat(running.blocking().call(request("unary")).getOutput().toStringUtf8()).isEqualTo("unary"));
    }

    @Test
    void calls_streamsHoldAtMostHalfTheSlots_unaryCallsKeepTheRest() throws Exception {
        start(ScriptedHandler.class, "DCF_MAX_CONCURRENCY", "3");
        List<StreamObserver<CallRequest>> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            StreamRecorder recorder = new StreamRecorder();
            StreamObserver<CallRequest> requests = running.async().calls(recorder);
            requests.onNext(request("open" + i));
            String expected = "open" + i;
            await().untilAsserted(() -> assertThat(recorder.replies).containsExactly(expected));
            open.add(requests);
        }

        StreamRecorder refused = new StreamRecorder();
        running.async().calls(refused).onNext(request("third"));
        Throwable error = catchThrowable(() -> refused.done.get(60, TimeUnit.SECONDS));
        assertThat(Status.fromThrowable(error.getCause()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.fromThrowable(error.getCause()).getDescription()).isEqualTo(
                "function echo is at its stream limit (2 of its 3 slots; the others are kept for unary calls)");
        assertThat(running.blocking().call(request("unary")).getOutput().toStringUtf8()).isEqualTo("unary");

        open.forEach(StreamObserver::onCompleted);
    }

    @Test
    void calls_callerCancels_interruptsTheHandler() throws Exception {
        start(ScriptedHandler.class);
        StreamRecorder recorder = new StreamRecorder();
        running.async().calls(recorder).onNext(request("block"));
        await().untilAsserted(() -> assertThat(Probe.running).hasValue(1));

        recorder.call.cancel("test cancels", null);

        await().untilAsserted(() -> assertThat(Probe.interrupts).hasValue(1));
    }

    @Test
    void calls_fastCallerAndBlockedHandler_areHeldBackByFlowControl() throws Exception {
        start(ScriptedHandler.class);
        StreamRecorder recorder = new StreamRecorder();
        StreamObserver<CallRequest> requests = running.async().calls(recorder);
        requests.onNext(request("block"));
        await().untilAsserted(() -> assertThat(Probe.running).hasValue(1));
        CallRequest big = CallRequest.newBuilder().setInput(ByteString.copyFrom(new byte[64 * 1024])).build();
        int[] sent = {0};

        // With the handler stuck, the watcher stops reading: the caller's stream stops being ready, and stays so.
        await().during(Duration.ofMillis(500)).until(() -> {
            boolean heldBack = !recorder.call.isReady();
            while (recorder.call.isReady() && sent[0] < 2_000) {
                requests.onNext(big);
                sent[0]++;
            }
            return heldBack;
        });
        // What may be in flight: the watcher's window of 8 requests plus HTTP/2 windows (at most 8 MB).
        assertThat(sent[0]).isLessThan(200);

        Probe.gate.countDown();
        requests.onCompleted();
        recorder.done.get(60, TimeUnit.SECONDS);
        assertThat(recorder.replies).hasSize(sent[0] + 1);
    }

    private static Status endStatus(StreamRecorder recorder) {
        Throwable thrown = catchThrowable(() -> recorder.done.get(60, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        return Status.fromThrowable(thrown.getCause());
    }
}
