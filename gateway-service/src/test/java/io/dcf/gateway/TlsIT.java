package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dcf.proto.v1.InfoRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** TLS on the gateway port from PEM files (self-signed, made here by openssl), reloaded when they change. */
class TlsIT {

    @TempDir
    Path tmp;

    @Test
    void tlsPort_servesTheCertificate_refusesPlaintext_andPicksUpARenewedOne() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        selfSigned(tmp.resolve("first"), cert, key);
        try (TestGateway gw = TestGateway.start(tmp.resolve("home"), "--dcf.gateway.tls.cert=" + cert,
                "--dcf.gateway.tls.key=" + key, "--dcf.gateway.tls.reload-interval=200ms")) {
            X509Certificate first = read(cert);

            assertThat(served(gw.port)).isEqualTo(first);
            plaintext_isAnswered400_andLoggedAsOneShortLine(gw);

            Path second = tmp.resolve("second");
            selfSigned(second, second.resolve("cert.pem"), second.resolve("key.pem"));
            Files.move(second.resolve("key.pem"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.move(second.resolve("cert.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
            X509Certificate renewed = read(cert);

            assertThat(renewed).isNotEqualTo(first);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(served(gw.port)).isEqualTo(renewed));
        }
    }

    /**
     * Plain HTTP gets a 400 saying to use https, plaintext gRPC fails, and the gateway's log has
     * one short line for all of them: no stack trace (Netty's NotSslRecordException) per connection.
     */
    private static void plaintext_isAnswered400_andLoggedAsOneShortLine(TestGateway gw) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            for (int i = 0; i < 5; i++) {
                HttpResponse<byte[]> response = gw.send("GET", "/system/health", null, null);
                assertThat(response.statusCode()).as("no plaintext on a TLS port").isEqualTo(400);
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("https://");
            }
            assertThatThrownBy(() -> gw.grpc().info(InfoRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .as("plaintext gRPC sees the connection close").isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> events = List.copyOf(appender.list);
        assertThat(events).as("no stack trace").allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("NotSslRecordException") || line.contains("Unexpected exception"))
                .filteredOn(line -> line.contains("plaintext connection to the TLS port")).hasSize(1)
                .first().asString().startsWith("Refused a plaintext connection to the TLS port from /127.0.0.1:");
    }

    /** A self-signed certificate for localhost and 127.0.0.1, by openssl. */
    static void selfSigned(Path dir, Path cert, Path key) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The certificate the server presents in a TLS handshake (trusting anything, to look at it). */
    private static X509Certificate served(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new IllegalStateException("TLS handshake with 127.0.0.1:" + port + " failed", e);
        }
    }
}
