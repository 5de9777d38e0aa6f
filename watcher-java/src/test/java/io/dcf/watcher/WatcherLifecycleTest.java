package io.dcf.watcher;

import static io.dcf.watcher.TestWatcher.request;
import static io.dcf.watcher.WatcherCallTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.WatcherGrpc;
import io.dcf.watcher.fixtures.Probe;
import io.dcf.watcher.fixtures.ScriptedHandler;
import io.dcf.watcher.fixtures.SlowInitHandler;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WatcherLifecycleTest extends WatcherTestSupport {

    @Test
    void health_isNotServingWhileLoading_thenServing() throws Exception {
        running = TestWatcher.started(TestWatcher.env(SlowInitHandler.class, dir));
        CompletableFuture<Void> loading = CompletableFuture.runAsync(() -> {
            try {
                running.watcher.load();
            } catch (HandlerLoadException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(running.health("")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(running.health(WatcherGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
        StatusRuntimeException early = failure(() -> running.blocking().call(request("early")));
        assertThat(early.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(early.getStatus().getDescription()).isEqualTo("function echo is still loading");

        Probe.initGate.countDown();

        loading.get(60, TimeUnit.SECONDS);
        await().untilAsserted(() -> assertThat(running.health("")).isEqualTo(ServingStatus.SERVING));
        assertThat(running.health(WatcherGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
        assertThat(running.blocking().call(request("now")).getOutput().toStringUtf8()).isEqualTo("now");
        assertThat(Probe.inits).hasValue(1);
    }

    @Test
    void portFile_holdsTheBoundPort() throws Exception {
        Path portFile = dir.resolve("run/port");
        Map<String, String> env = TestWatcher.env(ScriptedHandler.class, dir);
        env.put("DCF_WATCHER_PORT_FILE", portFile.toString());

        running = TestWatcher.started(env);

        assertThat(Files.readString(portFile)).isEqualTo(Integer.toString(running.watcher.port()));
        try (var entries = Files.list(portFile.getParent())) {
            assertThat(entries).containsExactly(portFile);
        }
    }

    @Test
    void drain_letsCallsInFlightFinish_refusesNewOnes_thenClosesTheHandler() throws Exception {
        running = TestWatcher.loaded(TestWatcher.env(ScriptedHandler.class, dir));
        ListenableFuture<CallReply> inFlight = running.future().call(request("block"));
        await().untilAsserted(() -> assertThat(Probe.running).hasValue(1));

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(
                () -> running.watcher.drain(Duration.ofSeconds(60)));

        await().untilAsserted(() -> assertThat(running.health("")).isEqualTo(ServingStatus.NOT_SERVING));
        assertThat(running.health(WatcherGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
        StatusRuntimeException refused = failure(() -> running.blocking().call(request("late")));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getStatus().getDescription()).isEqualTo("function echo is draining");
        assertThat(Probe.closes).hasValue(0);

        Probe.gate.countDown();

        assertThat(inFlight.get(60, TimeUnit.SECONDS).getOutput().toStringUtf8()).isEqualTo("unblocked");
        assertThat(drained.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Probe.closes).hasValue(1);
        assertThat(Probe.events).containsSubsequence("done:block", "close").endsWith("close");
    }

    @Test
    void drain_pastItsTimeout_interruptsStragglers_andStillCloses() throws Exception {
        running = TestWatcher.loaded(TestWatcher.env(ScriptedHandler.class, dir));
        ListenableFuture<CallReply> straggler = running.future().call(request("block"));
        await().untilAsserted(() -> assertThat(Probe.running).hasValue(1));

        boolean idle = running.watcher.drain(Duration.ofMillis(200));

        assertThat(idle).isFalse();
        assertThat(Probe.interrupts).hasValue(1);
        assertThat(Probe.closes).hasValue(1);
        await().until(straggler::isDone);
    }

    @Test
    void drain_whileLoading_stopsWithoutServing() throws Exception {
        running = TestWatcher.started(TestWatcher.env(SlowInitHandler.class, dir));
        CompletableFuture<Void> loading = CompletableFuture.runAsync(() -> {
            try {
                running.watcher.load();
            } catch (HandlerLoadException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(running.watcher.drain(Duration.ofSeconds(10))).isTrue();
        Probe.initGate.countDown();

        loading.get(60, TimeUnit.SECONDS);
        assertThat(running.watcher.isServing()).isFalse();
        assertThat(Probe.closes).hasValue(1);
    }
}
