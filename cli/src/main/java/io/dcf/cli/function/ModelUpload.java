package io.dcf.cli.function;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.ModelStart;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * One UpdateModel upload from the CLI: {@code start}, then the file in chunks of {@value #CHUNK}
 * bytes, sent only while the transport is ready (so a large file never piles up in memory); the
 * sha256 of what was sent is kept to check the gateway's.
 */
final class ModelUpload implements ClientResponseObserver<ModelChunk, FunctionStatus> {

    static final int CHUNK = 1 << 20;

    private final ModelStart start;
    private final InputStream in;
    private final MessageDigest sha256;
    private final LongConsumer progress;
    private final CompletableFuture<FunctionStatus> reply = new CompletableFuture<>();
    private ClientCallStreamObserver<ModelChunk> requests;
    private boolean started;
    private boolean finished;
    private long sent;

    ModelUpload(ModelStart start, InputStream in, LongConsumer progress) {
        this.start = start;
        this.progress = progress;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        this.in = new DigestInputStream(in, sha256);
    }

    CompletableFuture<FunctionStatus> reply() {
        return reply;
    }

    /** {@code sha256:<hex>} of the bytes sent (complete once the reply came). */
    String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ModelChunk> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::send);
    }

    /** Sends while the transport takes more; runs on gRPC's executor, one call at a time. */
    private synchronized void send() {
        try {
            while (requests.isReady() && !finished && !reply.isDone()) {
                if (!started) {
                    requests.onNext(ModelChunk.newBuilder().setStart(start).build());
                    started = true;
                    continue;
                }
                byte[] buffer = in.readNBytes(CHUNK);
                if (buffer.length == 0) {
                    finished = true;
                    requests.onCompleted();
                    return;
                }
                requests.onNext(ModelChunk.newBuilder().setData(ByteString.copyFrom(buffer)).build());
                sent += buffer.length;
                progress.accept(sent);
            }
        } catch (IOException e) {
            finished = true;
            requests.cancel("cannot read the model file", e);
            reply.completeExceptionally(e);
        }
    }

    @Override
    public void onNext(FunctionStatus value) {
        reply.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        reply.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        if (!reply.isDone()) {
            reply.completeExceptionally(new IllegalStateException("the gateway ended the upload without a reply"));
        }
    }
}
