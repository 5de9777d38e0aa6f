package io.dcf.proto;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The client side of a dcf.v1 upload (UpdateModel, AddLayer): the {@code start} message, then
 * the stream's bytes in chunks of {@value #CHUNK_BYTES}, each read and sent only while the
 * transport is ready (gRPC flow control: a large file never piles up in memory); the first
 * reply completes {@link #reply()}, and sending stops once it came.
 *
 * <p>A read failure cancels the call and completes the reply with the {@link IOException}; a
 * call the server ends without a reply completes it with INTERNAL. The stream is the caller's
 * to close.
 */
public final class ChunkedUpload<ReqT, RespT> implements ClientResponseObserver<ReqT, RespT> {

    /** The bytes of one data message. */
    public static final int CHUNK_BYTES = 1 << 20;
    /** The largest message of an upload a server must accept: a chunk and room for its framing. */
    public static final int MAX_MESSAGE_BYTES = CHUNK_BYTES + (64 << 10);

    private final ReqT start;
    private final InputStream in;
    private final Function<ByteString, ReqT> data;
    private final LongConsumer progress;
    private final CompletableFuture<RespT> reply = new CompletableFuture<>();
    private ClientCallStreamObserver<ReqT> requests;
    private boolean started;
    private boolean finished;
    private long sent;

    /**
     * @param start    the first message
     * @param in       the bytes to send after it
     * @param data     the message carrying one chunk
     * @param progress told the bytes sent so far after each chunk
     */
    public ChunkedUpload(ReqT start, InputStream in, Function<ByteString, ReqT> data, LongConsumer progress) {
        this.start = requireNonNull(start, "start");
        this.in = requireNonNull(in, "in");
        this.data = requireNonNull(data, "data");
        this.progress = requireNonNull(progress, "progress");
    }

    /** The server's reply, or the failure that ended the call. */
    public CompletableFuture<RespT> reply() {
        return reply;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::send);
    }

    /** Sends while the transport takes more; runs on gRPC's executor, one call at a time. */
    private synchronized void send() {
        try {
            while (requests.isReady() && !finished && !reply.isDone()) {
                if (!started) {
                    requests.onNext(start);
                    started = true;
                    continue;
                }
                byte[] buffer = in.readNBytes(CHUNK_BYTES);
                if (buffer.length == 0) {
                    finished = true;
                    requests.onCompleted();
                    return;
                }
                requests.onNext(data.apply(ByteString.copyFrom(buffer)));
                sent += buffer.length;
                progress.accept(sent);
            }
        } catch (IOException e) {
            finished = true;
            requests.cancel("cannot read the file to upload", e);
            reply.completeExceptionally(e);
        }
    }

    @Override
    public void onNext(RespT value) {
        reply.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        reply.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        reply.completeExceptionally(Status.INTERNAL
                .withDescription("the server ended the upload without a reply").asRuntimeException());
    }
}
