package io.dcf.watcher;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
                .input(ownedBytes(message.getInput()))
                .contentType(message.getContentType())
                .headers(message.getHeadersMap())
                .path(message.getPath())
                .method(message.getMethod())
                .function(message.getFunction().isEmpty() ? function : message.getFunction())
                .build();
    }

    /**
     * The bytes of {@code input} as an array the handler may keep and change: the ByteString's own
     * array when it is exactly that array (protobuf copies a parsed {@code bytes} field into one;
     * the message is parsed for this call alone and dropped once converted), else a copy.
     */
    static byte[] ownedBytes(ByteString input) {
        if (input.isEmpty()) {
            return new byte[0];
        }
        WholeArray whole = new WholeArray();
        try {
            UnsafeByteOperations.unsafeWriteTo(input, whole);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // WholeArray never throws
        }
        return whole.array != null && whole.array.length == input.size() ? whole.array : input.toByteArray();
    }

    /** Keeps the array a ByteString hands over when it is stored in one piece from its start. */
    private static final class WholeArray extends ByteOutput {
        private byte[] array;
        private int pieces;

        @Override
        public void write(byte value) {
            pieces++;
            array = null;
        }

        @Override
        public void write(byte[] value, int offset, int length) {
            pieces++;
            array = null;
        }

        @Override
        public void writeLazy(byte[] value, int offset, int length) {
            array = ++pieces == 1 && offset == 0 && length == value.length ? value : null;
        }

        @Override
        public void write(ByteBuffer value) {
            pieces++;
            array = null;
        }

        @Override
        public void writeLazy(ByteBuffer value) {
            pieces++;
            array = null;
        }
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
