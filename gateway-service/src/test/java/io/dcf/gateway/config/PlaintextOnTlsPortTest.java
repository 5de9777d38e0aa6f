package io.dcf.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.gateway.LogCapture;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.dcf.gateway.logging.LogWindow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlaintextOnTlsPortTest {

    /** A TLS 1.2 ClientHello's record header and the start of its handshake message. */
    private static final byte[] CLIENT_HELLO = {0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03};

    private final AtomicLong now = new AtomicLong();
    private final LogWindow window = new LogWindow(Duration.ofSeconds(60), now::get);
    @RegisterExtension
    final LogCapture logs = LogCapture.of(PlaintextOnTlsPort.class);

    @Test
    void tlsRecord_passesOnUntouched_evenWhenItArrivesInPieces() {
        EmbeddedChannel channel = new EmbeddedChannel(PlaintextOnTlsPort.of(window));

        channel.writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO, 0, 3));
        assertThat((Object) channel.readInbound()).as("waits for a whole record header").isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO, 3, CLIENT_HELLO.length - 3));

        ByteBuf passed = channel.readInbound();
        byte[] bytes = new byte[passed.readableBytes()];
        passed.readBytes(bytes).release();
        assertThat(bytes).isEqualTo(CLIENT_HELLO);
        assertThat(channel.pipeline().get(PlaintextOnTlsPort.class)).as("removed after the first record").isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(logs.events()).isEmpty();
    }

    @Test
    void plainHttp_gets400AndIsClosed_withOneLinePerWindow() {
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel channel = new EmbeddedChannel(PlaintextOnTlsPort.of(window));
            channel.writeInbound(ascii("GET /system/health HTTP/1.1\r\nHost: x\r\n\r\n"));

            ByteBuf answer = channel.readOutbound();
            assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 Bad Request\r\n")
                    .contains("Connection: close").endsWith("call it with https:// (gRPC: with TLS).\n");
            answer.release();
            assertThat(channel.isOpen()).isFalse();
            assertThat((Object) channel.readInbound()).isNull();
        }
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        new EmbeddedChannel(PlaintextOnTlsPort.of(window)).writeInbound(ascii("POST /function/f HTTP/1.1\r\n"));

        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Refused a plaintext connection to the TLS port from embedded (callers need https:// or gRPC with TLS)",
                "Refused a plaintext connection to the TLS port from embedded (callers need https:// or gRPC with TLS;"
                        + " 2 more like it not logged in the last 60 s)");
        assertThat(logs.events()).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void plaintextGrpc_isClosedWithoutAnHttp1Answer() {
        EmbeddedChannel channel = new EmbeddedChannel(PlaintextOnTlsPort.of(window));

        channel.writeInbound(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
