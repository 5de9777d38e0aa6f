package io.dcf.gateway.invoke;

import io.grpc.stub.StreamObserver;

/** Makes a StreamObserver safe to call from several threads, and ignores events after the end. */
final class SerializingObserver<T> implements StreamObserver<T> {

    private final StreamObserver<T> delegate;
    private boolean done;

    SerializingObserver(StreamObserver<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized void onNext(T value) {
        if (!done) {
            delegate.onNext(value);
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (!done) {
            done = true;
            delegate.onError(t);
        }
    }

    @Override
    public synchronized void onCompleted() {
        if (!done) {
            done = true;
            delegate.onCompleted();
        }
    }
}
