package io.dcf.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.CallRequest;
import io.dcf.sdk.Request;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtosTest {

    @Test
    void toRequest_parsedMessage_carriesTheInputBytes() throws Exception {
        byte[] input = "hello, watcher".getBytes(StandardCharsets.UTF_8);
        CallRequest parsed = CallRequest.parseFrom(CallRequest.newBuilder().setInput(ByteString.copyFrom(input))
                .setContentType("text/plain").putHeaders("x-a", "1").build().toByteArray());

        Request request = Protos.toRequest(parsed, "echo");

        assertThat(request.input()).isEqualTo(input);
        assertThat(request.function()).isEqualTo("echo");
        assertThat(request.header("x-a")).isEqualTo("1");
    }

    @Test
    void ownedBytes_wholeArray_isHandedOverWithoutACopy() {
        ByteString whole = ByteString.copyFrom(new byte[] {1, 2, 3});

        byte[] first = Protos.ownedBytes(whole);

        assertThat(first).containsExactly(1, 2, 3);
        assertThat(Protos.ownedBytes(whole)).isSameAs(first); // the ByteString's own array
    }

    @Test
    void ownedBytes_partOfAnArrayOrSeveralPieces_isACopy() {
        ByteString part = ByteString.copyFrom(new byte[] {9, 1, 2, 3, 9}).substring(1, 4);
        ByteString rope = ByteString.copyFrom(new byte[200]).concat(ByteString.copyFrom(new byte[] {7}));

        assertThat(Protos.ownedBytes(part)).containsExactly(1, 2, 3);
        assertThat(Protos.ownedBytes(rope)).hasSize(201).endsWith(7);
        assertThat(Protos.ownedBytes(ByteString.EMPTY)).isEmpty();
    }
}
