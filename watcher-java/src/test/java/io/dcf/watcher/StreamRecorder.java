package io.dcf.watcher;

import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records a {@code Calls} stream's replies and how it ended. */
final class StreamRecorder implements ClientResponseObserver<CallRequest, CallReply> {

    final List<String> replies = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile ClientCallStreamObserver<CallRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<CallRequest> requestStream) {
        this.call = requestStream;
    }

    @Override
    public void onNext(CallReply reply) {
        replies.add(reply.getOutput().toStringUtf8());
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        done.complete(null);
    }
}
