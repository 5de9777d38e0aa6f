package io.dcf.gateway;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.ModelStart;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Sends one UpdateModel upload as the CLI does: start, then the bytes in chunks of at most 1 MiB. */
final class ModelUploader {

    static final int CHUNK = 1 << 20;

    private ModelUploader() {
    }

    /** Uploads {@code content}; returns the reply, or throws the call's StatusRuntimeException. */
    static FunctionStatus upload(Channel channel, ModelStart start, byte[] content) throws Exception {
        CompletableFuture<FunctionStatus> reply = new CompletableFuture<>();
        StreamObserver<ModelChunk> upload = GatewayGrpc.newStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS)
                .updateModel(new StreamObserver<>() {
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
                    }
                });
        upload.onNext(ModelChunk.newBuilder().setStart(start).build());
        for (int offset = 0; offset < content.length && !reply.isDone(); offset += CHUNK) {
            upload.onNext(ModelChunk.newBuilder()
                    .setData(ByteString.copyFrom(content, offset, Math.min(CHUNK, content.length - offset))).build());
        }
        upload.onCompleted();
        try {
            return reply.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
