package io.dcf.gateway.build.service;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.BuildChunk;
import io.dcf.proto.v1.BuildStart;
import io.dcf.proto.v1.BuildStatus;
import io.dcf.proto.v1.BuilderGrpc;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code Builder.Build} upload: {@code start}, then the bundle in order in chunks of at
 * most {@link #CHUNK_BYTES}, each sent only when the stream is ready (gRPC flow control: a
 * slow build-service slows the sender instead of filling its buffers). Blocks the caller.
 */
final class BuildUpload implements ClientResponseObserver<BuildChunk, BuildStatus> {

    /** The largest data chunk the Builder API takes. */
    static final int CHUNK_BYTES = 1 << 20;

    private final CompletableFuture<BuildStatus> result = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private BuildUpload() {
    }

    /**
     * Uploads {@code bundle} and returns the accepted build's status.
     *
     * @throws StatusRuntimeException what build-service (or the deadline) ended the call with
     */
    static BuildStatus send(BuilderGrpc.BuilderStub stub, BuildStart start, ByteString bundle, Deadline deadline) {
        BuildUpload upload = new BuildUpload();
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<BuildChunk> requests =
                (ClientCallStreamObserver<BuildChunk>) stub.withDeadline(deadline).build(upload);
        try {
            requests.onNext(BuildChunk.newBuilder().setStart(start).build());
            for (int offset = 0; offset < bundle.size() && !upload.result.isDone(); offset += CHUNK_BYTES) {
                upload.awaitReady(requests, deadline);
                if (upload.result.isDone()) {
                    break; // build-service answered early: a refusal
                }
                int end = Math.min(bundle.size(), offset + CHUNK_BYTES);
                requests.onNext(BuildChunk.newBuilder().setData(bundle.substring(offset, end)).build());
            }
            if (!upload.result.isDone()) {
                requests.onCompleted();
            }
            return upload.await(deadline);
        } catch (RuntimeException e) {
            requests.cancel("upload failed", e);
            throw e;
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<BuildChunk> requests) {
        requests.setOnReadyHandler(this::signal);
    }

    @Override
    public void onNext(BuildStatus status) {
        result.complete(status);
        signal();
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
        signal();
    }

    @Override
    public void onCompleted() {
        result.completeExceptionally(Status.INTERNAL.withDescription("build-service ended the upload without a"
                + " build status").asRuntimeException());
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the stream takes more, the call ended, or the deadline passed (then DEADLINE_EXCEEDED). */
    private void awaitReady(ClientCallStreamObserver<BuildChunk> requests, Deadline deadline) {
        lock.lock();
        try {
            while (!requests.isReady() && !result.isDone()) {
                long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
                if (left <= 0) {
                    throw Status.DEADLINE_EXCEEDED.withDescription("the upload did not finish in time")
                            .asRuntimeException();
                }
                changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted while uploading").asRuntimeException();
        } finally {
            lock.unlock();
        }
    }

    private BuildStatus await(Deadline deadline) {
        try {
            // the call's own deadline ends it; the extra second only covers that error's delivery
            return result.get(deadline.timeRemaining(TimeUnit.MILLISECONDS) + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException sre ? sre
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer to the upload in time").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted while uploading").asRuntimeException();
        }
    }
}
