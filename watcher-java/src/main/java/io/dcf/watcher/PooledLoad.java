package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.LoadReply;
import io.dcf.proto.v1.LoadRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * Pool mode ({@code DCF_POOL=true}): the watcher binds its port with no function, answers
 * health {@code NOT_SERVING}, refuses calls as loading, and takes exactly one
 * {@code dcf.v1.Watcher/Load}, which names the function: its handler is loaded then, on a
 * thread of its own, and the watcher serves it for the rest of its life. A second Load fails
 * with {@code FAILED_PRECONDITION}. A Load that fails (a bad setting, a handler that cannot be
 * loaded) answers with the start-up failure's message, logs the same line, and the process
 * exits (2 or 3, as at start-up): a pooled process that failed is never used again.
 *
 * <p>The JVM's environment cannot change: the function's variables reach the handler through
 * its {@code Context} only (the gateway starts a Java function with an {@code environment} of
 * its own cold, see docs/watcher-contract.md).
 */
final class PooledLoad implements BiConsumer<LoadRequest, StreamObserver<LoadReply>> {

    private static final Logger logger = Logger.getLogger(PooledLoad.class.getName());

    private final Map<String, String> startEnv;
    private final WatcherConfig started;
    private final Watcher watcher;
    private final IntConsumer exit;
    private final AtomicReference<String> taken = new AtomicReference<>();

    /** {@code exit}: drains and ends the process with the status given (after a failed Load). */
    PooledLoad(Map<String, String> startEnv, WatcherConfig started, Watcher watcher, IntConsumer exit) {
        this.startEnv = Map.copyOf(startEnv);
        this.started = requireNonNull(started, "started");
        this.watcher = requireNonNull(watcher, "watcher");
        this.exit = requireNonNull(exit, "exit");
    }

    @Override
    public void accept(LoadRequest request, StreamObserver<LoadReply> reply) {
        String function = request.getContractOrDefault(WatcherConfig.FUNCTION_NAME, "function");
        String previous = taken.compareAndExchange(null, function);
        if (previous != null) {
            reply.onError(Status.FAILED_PRECONDITION.withDescription("this pooled watcher already took function "
                    + previous + "; a pooled process serves one function for its whole life").asRuntimeException());
            return;
        }
        Thread loader = new Thread(() -> load(request, reply), "dcf-load");
        loader.start();
    }

    private void load(LoadRequest request, StreamObserver<LoadReply> reply) {
        WatcherConfig config;
        try {
            config = WatcherConfig.forLoad(startEnv, request.getContractMap());
            same(WatcherConfig.MAX_CONCURRENCY, config.maxConcurrency(), started.maxConcurrency());
            same(WatcherConfig.MAX_MESSAGE_BYTES, config.maxMessageBytes(), started.maxMessageBytes());
        } catch (IllegalArgumentException e) {
            logger.severe(() -> "invalid configuration: " + e.getMessage());
            fail(reply, Status.INVALID_ARGUMENT.withDescription("invalid configuration: " + e.getMessage()), 2);
            return;
        }
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove(WatcherConfig.POOL);
        environment.putAll(request.getEnvironmentMap());
        environment.putAll(request.getContractMap());
        long begun = System.nanoTime();
        try {
            watcher.load(config, environment);
        } catch (HandlerLoadException e) {
            WatcherMain.logLoadFailure(config.functionName(), e);
            fail(reply, Status.FAILED_PRECONDITION.withDescription("function " + config.functionName()
                    + " failed to start: " + e.getMessage()), 3);
            return;
        }
        if (!watcher.isServing()) {
            reply.onError(Statuses.toException(Statuses.draining(config.functionName())));
            return;
        }
        reply.onNext(LoadReply.newBuilder()
                .setLoadMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun)).build());
        reply.onCompleted();
    }

    private static void same(String key, int loaded, int started) {
        if (loaded != started) {
            throw new IllegalArgumentException(key + ": " + loaded + " (expected: " + started
                    + ", as this pooled process was started with)");
        }
    }

    private void fail(StreamObserver<LoadReply> reply, Status status, int exitStatus) {
        reply.onError(status.asRuntimeException());
        exit.accept(exitStatus);
    }
}
