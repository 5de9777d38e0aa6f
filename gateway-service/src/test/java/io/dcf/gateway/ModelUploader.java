package io.dcf.gateway;

import io.dcf.proto.ChunkedUpload;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GatewayGrpc;
import io.dcf.proto.v1.ModelChunk;
import io.dcf.proto.v1.ModelStart;
import io.grpc.Channel;
import java.io.ByteArrayInputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Sends one UpdateModel upload as the CLI does, through the same {@link ChunkedUpload}. */
final class ModelUploader {

    private ModelUploader() {
    }

    /** Uploads {@code content}; returns the reply, or throws the call's StatusRuntimeException. */
    static FunctionStatus upload(Channel channel, ModelStart start, byte[] content) throws Exception {
        ChunkedUpload<ModelChunk, FunctionStatus> upload = new ChunkedUpload<>(
                ModelChunk.newBuilder().setStart(start).build(), new ByteArrayInputStream(content),
                data -> ModelChunk.newBuilder().setData(data).build(), sent -> { });
        GatewayGrpc.newStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS).updateModel(upload);
        try {
            return upload.reply().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
