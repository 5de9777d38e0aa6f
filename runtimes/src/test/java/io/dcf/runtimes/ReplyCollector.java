package io.dcf.runtimes;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Collects a stream's messages; {@link #get()} waits for its end. */
final class ReplyCollector<T> implements StreamObserver<T> {

    private final List<T> items = new ArrayList<>();
    private final CompletableFuture<List<T>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(T value) {
        items.add(value);
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
        done.complete(List.copyOf(items));
    }

    synchronized List<T> soFar() {
        return List.copyOf(items);
    }

    List<T> get() throws Exception {
        return done.get(30, TimeUnit.SECONDS);
    }
}
