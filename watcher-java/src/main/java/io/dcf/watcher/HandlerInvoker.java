package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.sdk.Request;
import io.dcf.sdk.Response;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** Runs admitted calls against the loaded handler, on the handler executor, never on transport threads. */
final class HandlerInvoker {

    /** Requests buffered per stream before the transport stops reading from the caller. */
    static final int STREAM_WINDOW = 8;
    /**
     * Reply bytes a stream may have queued for sending before its handler waits: large frames
     * (64 KiB and more) then do not each wait for the previous one to be on the wire (gRPC's
     * default is 32 KiB, less than one such frame).
     */
    static final int STREAM_REPLY_BUFFER = 1 << 20;

    private final LoadedHandler handler;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final WatcherConfig config;
    private final HandlerThreads threads;
    private final CallStats stats;

    HandlerInvoker(LoadedHandler handler, ExecutorService executor, ScheduledExecutorService timer,
            WatcherConfig config, HandlerThreads threads, CallStats stats) {
        this.handler = requireNonNull(handler, "handler");
        this.executor = requireNonNull(executor, "executor");
        this.timer = requireNonNull(timer, "timer");
        this.config = requireNonNull(config, "config");
        this.threads = requireNonNull(threads, "threads");
        this.stats = requireNonNull(stats, "stats");
    }

    /** One request, one reply; {@code release} gives the admission permit back when done. */
    void call(CallRequest message, ServerCallStreamObserver<CallReply> observer, Runnable release) {
        ReplySink sink = new ReplySink(observer, config.maxMessageBytes(), stats.started());
        CallJob job = newJob(sink, release);
        observer.setOnCancelHandler(job::cancel);
        job.watchdog().arm();
        job.start(executor, handler.classLoader(), () -> {
            Request request = Protos.toRequest(message, config.functionName());
            Response response = handler.call(request);
            send(sink, Protos.toReply(response, request.contentType()));
        });
    }

    /** A stream of requests and replies; the permit is held until the stream ends. */
    StreamObserver<CallRequest> calls(ServerCallStreamObserver<CallReply> observer, Runnable release) {
        observer.disableAutoRequest();
        observer.setOnReadyThreshold(STREAM_REPLY_BUFFER);
        ReplySink sink = new ReplySink(observer, config.maxMessageBytes(), stats.started());
        CallJob job = newJob(sink, release);
        RequestStream requests = new RequestStream(observer, job.watchdog(), config.functionName(), job::cancel);
        observer.setOnCancelHandler(job::cancel);
        job.start(executor, handler.classLoader(), () -> handler.stream(requests,
                response -> send(sink, Protos.toReply(response, requests.lastContentType()))));
        observer.request(STREAM_WINDOW);
        return requests;
    }

    private CallJob newJob(ReplySink sink, Runnable release) {
        return new CallJob(config.functionName(), sink, release, HandlerExecutors.deadlineClock(timer),
                config.timeout().toMillis(),
                Context.current().getDeadline(), threads);
    }

    private static void send(ReplySink sink, CallReply reply) {
        boolean sent;
        try {
            sent = sink.send(reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("call ended");
        }
        if (!sent) {
            throw new CancellationException("call ended");
        }
    }
}
