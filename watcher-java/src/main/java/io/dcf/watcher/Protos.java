package io.dcf.watcher;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.sdk.Request;
import io.dcf.sdk.Response;

/** Conversions between the wire messages and the SDK's types. */
final class Protos {

    private Protos() {
    }

    /** The request; its function name defaults to {@code function} when the caller left it empty. */
    static Request toRequest(CallRequest message, String function) {
        return Request.builder()
                .input(message.getInput().toByteArray())
                .contentType(message.getContentType())
                .headers(message.getHeadersMap())
                .path(message.getPath())
                .method(message.getMethod())
                .function(message.getFunction().isEmpty() ? function : message.getFunction())
                .build();
    }

    /** The reply; its content type is the response's, or {@code requestContentType} when that is empty. */
    static CallReply toReply(Response response, String requestContentType) {
        ByteString output = UnsafeByteOperations.unsafeWrap(response.output());
        String contentType = response.contentType().isEmpty() ? requestContentType : response.contentType();
        return CallReply.newBuilder()
                .setOutput(output)
                .setContentType(contentType)
                .putAllHeaders(response.headers())
                .build();
    }
}
