package io.dcf.cli.function;

import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One {@code Builder.Build} call seen as a blocking sender: {@link #send} waits until the stream
 * takes more (gRPC flow control), so a bundle is never buffered whole; {@link #ended} turns true
 * as soon as build-service answers, which it does early only to refuse the upload.
 */
final class BundleStream implements ClientResponseObserver<BuildChunk, BuildStatus> {

    private final CompletableFuture<BuildStatus> result = new CompletableFuture<>();
    private final Semaphore ready = new Semaphore(0);
    private final ClientCallStreamObserver<BuildChunk> requests;

    @SuppressWarnings("unchecked")
    BundleStream(BuilderGrpc.BuilderStub stub) {
        this.requests = (ClientCallStreamObserver<BuildChunk>) stub.build(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<BuildChunk> stream) {
        stream.setOnReadyHandler(ready::release);
    }

    boolean ended() {
        return result.isDone();
    }

    /** Sends one chunk once the stream is ready for it (or build-service answered). */
    void send(BuildChunk chunk) {
        while (!requests.isReady() && !result.isDone()) {
            try {
                ready.tryAcquire(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel(e);
                throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
            }
        }
        if (!result.isDone()) {
            requests.onNext(chunk);
        }
    }

    /** Ends the upload and waits for build-service's answer. */
    BuildStatus finish() {
        if (!result.isDone()) {
            requests.onCompleted();
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException sre ? sre
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(e);
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
    }

    void cancel(Throwable cause) {
        requests.cancel("upload abandoned", cause);
    }

    @Override
    public void onNext(BuildStatus status) {
        result.complete(status);
        ready.release();
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
        ready.release();
    }

    @Override
    public void onCompleted() {
        result.completeExceptionally(Status.INTERNAL.withDescription("build-service ended the upload without a"
                + " build status").asRuntimeException());
        ready.release();
    }
}
