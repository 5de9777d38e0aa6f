package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.CallReply;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * The reply side of one call, shared by the handler thread, the deadline timer and the
 * transport: serialises access to the observer, answers at most once, and makes the handler
 * wait while the caller is not ready for more (outbound flow control).
 */
final class ReplySink {

    private final ServerCallStreamObserver<CallReply> observer;
    private final int maxMessageBytes;
    private final CallStats.Ended ended;
    private boolean closed;

    ReplySink(ServerCallStreamObserver<CallReply> observer, int maxMessageBytes) {
        this(observer, maxMessageBytes, ok -> { });
    }

    /** {@code ended} is told once, when the call ends, whether it completed. */
    ReplySink(ServerCallStreamObserver<CallReply> observer, int maxMessageBytes, CallStats.Ended ended) {
        this.observer = requireNonNull(observer, "observer");
        this.maxMessageBytes = maxMessageBytes;
        this.ended = requireNonNull(ended, "ended");
        observer.setOnReadyHandler(this::wakeUp);
    }

    /**
     * Sends one reply, waiting until the transport can take it. Returns {@code false}, sending
     * nothing, once the call has ended (failed, timed out or cancelled).
     */
    synchronized boolean send(CallReply reply) throws InterruptedException {
        int size = reply.getSerializedSize();
        if (size > maxMessageBytes) {
            throw new IllegalStateException("reply of " + size + " bytes exceeds DCF_MAX_MESSAGE_BYTES ("
                    + maxMessageBytes + ")");
        }
        while (!closed && !observer.isReady()) {
            wait();
        }
        if (closed) {
            return false;
        }
        observer.onNext(reply);
        return true;
    }

    /** Ends the call successfully, unless it has ended already. */
    synchronized boolean complete() {
        if (closed) {
            return false;
        }
        closed = true;
        notifyAll();
        ended.ended(true);
        observer.onCompleted();
        return true;
    }

    /** Ends the call with {@code status}, unless it has ended already; {@code true} if this call ended it. */
    synchronized boolean fail(Status status) {
        if (closed) {
            return false;
        }
        closed = true;
        notifyAll();
        ended.ended(false);
        observer.onError(Statuses.toException(status));
        return true;
    }

    /** The caller went away: nothing more is sent. */
    synchronized void cancelled() {
        if (!closed) {
            ended.ended(false);
        }
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void wakeUp() {
        notifyAll();
    }
}
