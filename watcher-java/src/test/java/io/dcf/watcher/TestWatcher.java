package io.dcf.watcher;

import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.dcf.watcher.fixtures.Probe;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link Watcher} on an ephemeral port of 127.0.0.1 with a real client channel to it. */
final class TestWatcher implements AutoCloseable {

    static final String FUNCTION = "echo";

    final Watcher watcher;
    final ManagedChannel channel;

    private TestWatcher(Watcher watcher) {
        this.watcher = watcher;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", watcher.port()).usePlaintext().build();
    }

    /** The settings every test starts from; {@code handlerPath} must exist. */
    static Map<String, String> env(Class<?> handler, Path handlerPath) {
        Map<String, String> env = new HashMap<>();
        env.put("DCF_FUNCTION_NAME", FUNCTION);
        env.put("DCF_HANDLER", handler.getName());
        env.put("DCF_HANDLER_PATH", handlerPath.toString());
        env.put("DCF_WATCHER_HOST", "127.0.0.1");
        env.put("DCF_WATCHER_PORT", "0");
        return env;
    }

    /** Bound, handler not loaded yet. */
    static TestWatcher started(Map<String, String> env) throws Exception {
        return new TestWatcher(new Watcher(WatcherConfig.fromMap(env)).start());
    }

    /** Bound and serving. */
    static TestWatcher loaded(Map<String, String> env) throws Exception {
        TestWatcher running = started(env);
        running.watcher.load();
        return running;
    }

    WatcherGrpc.WatcherBlockingStub blocking() {
        return WatcherGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    WatcherGrpc.WatcherFutureStub future() {
        return WatcherGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    WatcherGrpc.WatcherStub async() {
        return WatcherGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    static CallRequest request(String text) {
        return CallRequest.newBuilder().setInput(com.google.protobuf.ByteString.copyFromUtf8(text)).build();
    }

    @Override
    public void close() {
        Probe.releaseAll();
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watcher.drain(Duration.ofSeconds(10));
    }
}
