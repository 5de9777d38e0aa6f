package io.dcf.watcher;

import static io.dcf.watcher.TestWatcher.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.watcher.fixtures.Probe;
import io.dcf.watcher.fixtures.ScriptedHandler;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WatcherCallTest extends WatcherTestSupport {

    private TestWatcher start(String... overrides) throws Exception {
        Map<String, String> env = TestWatcher.env(ScriptedHandler.class, dir);
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        running = TestWatcher.loaded(env);
        return running;
    }

    @Test
    void call_echoesInputContentTypeAndHeaders() throws Exception {
        start();
        CallReply reply = running.blocking().call(CallRequest.newBuilder()
                .setInput(com.google.protobuf.ByteString.copyFromUtf8("hello"))
                .setContentType("text/x-test")
                .putHeaders("x-trace", "abc")
                .build());

        assertThat(reply.getOutput().toStringUtf8()).isEqualTo("hello");
        assertThat(reply.getContentType()).isEqualTo("text/x-test");
        assertThat(reply.getHeadersMap()).containsEntry("echo-x-trace", "abc").containsEntry("x-function", "echo");
    }

    @Test
    void call_responseContentType_winsOverRequests() throws Exception {
        start();
        CallReply reply = running.blocking().call(request("json:{}").toBuilder().setContentType("text/plain").build());

        assertThat(reply.getContentType()).isEqualTo("application/json");
        assertThat(reply.getOutput().toStringUtf8()).isEqualTo("{}");
    }

    @Test
    void handler_isInitialisedOnce_acrossManyConcurrentCalls() throws Exception {
        start();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String text = "call-" + i;
                answers.add(clients.submit(() -> running.blocking().call(request(text)).getOutput().toStringUtf8()));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(answers.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("call-" + i);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(Probe.inits).hasValue(1);
        assertThat(Probe.context.functionName()).isEqualTo("echo");
        assertThat(Probe.context.directory()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void calls_runConcurrently() throws Exception {
        start();
        // Each "meet" call waits until a second one is running: both answer "met" only if they overlap.
        ListenableFuture<CallReply> first = running.future().call(request("meet"));
        ListenableFuture<CallReply> second = running.future().call(request("meet"));

        assertThat(first.get(60, TimeUnit.SECONDS).getOutput().toStringUtf8()).isEqualTo("met");
        assertThat(second.get(60, TimeUnit.SECONDS).getOutput().toStringUtf8()).isEqualTo("met");
        assertThat(Probe.maxRunning.get()).isGreaterThan(1);
    }

    @Test
    void handlerException_isInternal_withExactlyItsMessage() throws Exception {
        start();
        StatusRuntimeException error = failure(() -> running.blocking().call(request("throw:boom")));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(error.getStatus().getDescription()).isEqualTo("boom");
        assertThat(error.getMessage()).doesNotContain("\tat ", "ScriptedHandler", "IllegalStateException");
    }

    @Test
    void handlerExceptionWithoutMessage_isInternal_withClassName() throws Exception {
        start();
        StatusRuntimeException error = failure(() -> running.blocking().call(request("throw")));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(error.getStatus().getDescription()).isEqualTo("IllegalStateException");
    }

    @Test
    void functionException_keepsItsCodeAndMessage() throws Exception {
        start();
        StatusRuntimeException error = failure(() -> running.blocking().call(request("fail:INVALID_ARGUMENT:bad input")));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).isEqualTo("bad input").doesNotContain("\tat ");
    }

    @Test
    void nullResponse_isInternal() throws Exception {
        start();
        StatusRuntimeException error = failure(() -> running.blocking().call(request("null")));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(error.getStatus().getDescription()).isEqualTo("handler returned null");
    }

    @Test
    void callPastTimeout_isDeadlineExceeded_andInterruptsTheHandler() throws Exception {
        start("DCF_TIMEOUT_MS", "300");
        StatusRuntimeException error = failure(() -> running.blocking().call(request("sleep:120000")));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(error.getStatus().getDescription()).isEqualTo("function echo timed out after 300 ms");
        await().untilAsserted(() -> assertThat(Probe.interrupts).hasValue(1));
        assertThat(running.blocking().call(request("after")).getOutput().toStringUtf8()).isEqualTo("after");
    }

    @Test
    void callerDeadlineShorterThanTimeout_interruptsTheHandler() throws Exception {
        start();
        StatusRuntimeException error = failure(() -> running.blocking().withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .call(request("sleep:120000")));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await().untilAsserted(() -> assertThat(Probe.interrupts).hasValue(1));
    }

    @Test
    void callerCancels_interruptsTheHandler_andFreesItsPermit() throws Exception {
        start("DCF_MAX_CONCURRENCY", "1");
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> running.future().call(request("block")));
        await().untilAsserted(() -> assertThat(Probe.running).hasValue(1));

        context.cancel(null);

        await().untilAsserted(() -> assertThat(Probe.interrupts).hasValue(1));
        await().ignoreExceptions().untilAsserted(() ->
                assertThat(running.blocking().call(request("next")).getOutput().toStringUtf8()).isEqualTo("next"));
    }

    @Test
    void callsPastConcurrencyLimit_areResourceExhausted() throws Exception {
        start("DCF_MAX_CONCURRENCY", "2");
        ListenableFuture<CallReply> first = running.future().call(request("block"));
        ListenableFuture<CallReply> second = running.future().call(request("block"));
        await().untilAsserted(() -> assertThat(Probe.running).hasValue(2));

        StatusRuntimeException error = failure(() -> running.blocking().call(request("third")));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(error.getStatus().getDescription()).isEqualTo("function echo is at its concurrency limit (2)");
        Probe.gate.countDown();
        assertThat(first.get(60, TimeUnit.SECONDS).getOutput().toStringUtf8()).isEqualTo("unblocked");
        assertThat(second.get(60, TimeUnit.SECONDS).getOutput().toStringUtf8()).isEqualTo("unblocked");
    }

    static StatusRuntimeException failure(Runnable call) {
        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(error).as("the call should have failed").isNotNull();
        return error;
    }
}
