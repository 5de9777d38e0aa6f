package io.dcf.gateway.config;

import io.dcf.gateway.logging.LogWindow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a connection to the TLS port: a connection that opens with a TLS record
 * goes on to Armeria's TLS handler untouched; one that opens with anything else is closed, plain
 * HTTP after a plaintext {@code 400} saying to use https (gRPC without TLS sees the connection close,
 * which the CLI explains). It is logged as one
 * short WARN line per minute that counts the rest, instead of Armeria's "Unexpected exception" with
 * Netty's {@code NotSslRecordException} stack trace per connection.
 */
final class PlaintextOnTlsPort extends ByteToMessageDecoder {

    static final String NAME = "dcf-plaintext-on-tls-port";
    /** A TLS record header: content type, version (2 bytes), length (2 bytes). */
    private static final int RECORD_HEADER = 5;
    private static final String BODY = "This port speaks TLS only: call it with https:// (gRPC: with TLS).\n";
    private static final byte[] RESPONSE = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "Connection: close\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
    private static final Logger log = LoggerFactory.getLogger(PlaintextOnTlsPort.class);

    private final LogWindow lines;

    private PlaintextOnTlsPort(LogWindow lines) {
        this.lines = lines;
    }

    /** Puts the check first on every connection's pipeline, one log window shared by all of them. */
    static Consumer<ChannelPipeline> customizer(Duration window) {
        LogWindow lines = new LogWindow(window, System::nanoTime);
        return pipeline -> pipeline.addFirst(NAME, new PlaintextOnTlsPort(lines));
    }

    /** One check with its own window (tests). */
    static PlaintextOnTlsPort of(LogWindow lines) {
        return new PlaintextOnTlsPort(lines);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().remove(this); // hands what it read on to the TLS handler
            return;
        }
        boolean http2 = isHttp2Preface(in);
        in.skipBytes(in.readableBytes());
        long heldBack = lines.admit();
        if (heldBack == 0) {
            log.warn("Refused a plaintext connection to the TLS port from {} (callers need https:// or gRPC with TLS)",
                    ctx.channel().remoteAddress());
        } else if (heldBack > 0) {
            log.warn("Refused a plaintext connection to the TLS port from {} (callers need https:// or gRPC with TLS;"
                    + " {} more like it not logged in the last {} s)", ctx.channel().remoteAddress(), heldBack,
                    lines.seconds());
        }
        if (http2) {
            ctx.close(); // plaintext gRPC: an HTTP/1.1 answer would only confuse it; clients say "closed"
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Whether {@code in} starts like HTTP/2's connection preface, {@code PRI * HTTP/2.0} (gRPC without TLS). */
    private static boolean isHttp2Preface(ByteBuf in) {
        int at = in.readerIndex();
        return in.getByte(at) == 'P' && in.getByte(at + 1) == 'R' && in.getByte(at + 2) == 'I'
                && in.getByte(at + 3) == ' ';
    }
}
