package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.CallRequest;
import io.dcf.sdk.Request;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The requests of one {@code Calls} stream: filled by the transport, drained by the handler
 * as a blocking {@link Iterator}. Inbound flow control keeps at most {@code window} requests
 * buffered: one more is requested each time the handler takes one. The per-message deadline
 * runs while the handler holds a request, from {@code next()} until it asks for another.
 */
final class RequestStream implements Iterator<Request>, StreamObserver<CallRequest> {

    private static final Object END = new Object();
    private static final Object CANCELLED = new Object();

    private final ServerCallStreamObserver<?> call;
    private final Watchdog watchdog;
    private final String function;
    private final Runnable onCancel;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private Object head;
    private boolean endSeen;
    private volatile String lastContentType = "";

    RequestStream(ServerCallStreamObserver<?> call, Watchdog watchdog, String function, Runnable onCancel) {
        this.call = requireNonNull(call, "call");
        this.watchdog = requireNonNull(watchdog, "watchdog");
        this.function = requireNonNull(function, "function");
        this.onCancel = requireNonNull(onCancel, "onCancel");
    }

    // Transport side.

    @Override
    public void onNext(CallRequest request) {
        queue.add(request);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(CANCELLED);
        onCancel.run();
    }

    @Override
    public void onCompleted() {
        queue.add(END);
    }

    // Handler side.

    @Override
    public boolean hasNext() {
        watchdog.disarm();
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("call ended");
            }
        }
        if (head == CANCELLED) {
            throw new CancellationException("call cancelled by the caller");
        }
        if (head == END) {
            if (!endSeen) {
                endSeen = true;
                watchdog.arm(); // the handler has DCF_TIMEOUT_MS to finish after the last request
            }
            return false;
        }
        return true;
    }

    @Override
    public Request next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the caller has sent no more requests");
        }
        CallRequest message = (CallRequest) head;
        head = null;
        call.request(1);
        watchdog.arm();
        lastContentType = message.getContentType();
        return Protos.toRequest(message, function);
    }

    /** The content type of the request the handler took last, for replies that set none. */
    String lastContentType() {
        return lastContentType;
    }
}
