package io.dcf.bench;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** The reply of one unary gRPC call as a future. */
final class UnaryFuture<T> extends CompletableFuture<T> implements StreamObserver<T> {

    private T value;

    @Override
    public void onNext(T next) {
        value = next;
    }

    @Override
    public void onError(Throwable t) {
        completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        if (value == null) {
            completeExceptionally(new IllegalStateException("call completed without a reply"));
        } else {
            complete(value);
        }
    }
}
