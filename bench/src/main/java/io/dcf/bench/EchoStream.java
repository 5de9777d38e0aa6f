package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.function.ToIntFunction;

/**
 * One bidirectional echo stream as the generator sees it: the same frame goes out each
 * {@link #send()}, and the size of each echoed frame comes back to the {@link Listener}.
 *
 * @param <Q> the request message type
 * @param <R> the reply message type
 */
final class EchoStream<Q, R> implements ClientResponseObserver<Q, R> {

    /** Hears the stream's events, on the client's event loop. */
    interface Listener {
        /** The stream can take more frames without buffering. */
        void ready();

        /** One frame came back with {@code bytes} of output. */
        void echoed(int bytes);

        /** The stream ended: {@code error} is null when it completed normally. */
        void ended(Throwable error);
    }

    private final Q frame;
    private final ToIntFunction<R> outputSize;
    private final Listener listener;
    private volatile ClientCallStreamObserver<Q> requests;

    EchoStream(Q frame, ToIntFunction<R> outputSize, Listener listener) {
        this.frame = requireNonNull(frame, "frame");
        this.outputSize = requireNonNull(outputSize, "outputSize");
        this.listener = requireNonNull(listener, "listener");
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
        requests = requestStream;
        requestStream.setOnReadyHandler(listener::ready);
    }

    boolean isReady() {
        return requests.isReady();
    }

    void send() {
        requests.onNext(frame);
    }

    /** No more frames: the stream ends once the target has echoed what it got. */
    void finish() {
        requests.onCompleted();
    }

    void cancel(String why) {
        requests.cancel(why, null);
    }

    @Override
    public void onNext(R reply) {
        listener.echoed(outputSize.applyAsInt(reply));
    }

    @Override
    public void onError(Throwable t) {
        listener.ended(t);
    }

    @Override
    public void onCompleted() {
        listener.ended(null);
    }
}
