package io.dcf.build.kaniko;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /contexts/{token}} on a real Armeria server: each token serves its archive once. */
class BuildContextsTest {

    private static final TestClock CLOCK = new TestClock();
    private static final BuildContexts CONTEXTS = new BuildContexts(Duration.ofMinutes(10), CLOCK);

    @RegisterExtension
    static final ServerExtension server = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.service(BuildContexts.PATH, CONTEXTS.httpService());
        }
    };

    @TempDir
    Path dir;

    private AggregatedHttpResponse get(String token) {
        return WebClient.of(server.httpUri()).get("/contexts/" + token).aggregate().join();
    }

    private Path archive(int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = Files.createTempFile(dir, "context", ".tar.gz");
        Files.write(file, bytes);
        return file;
    }

    @Test
    void token_servesTheArchiveOnce_thenNotFound() throws Exception {
        Path archive = archive(3 * 1024 * 1024 + 17);
        String token = CONTEXTS.register(archive);

        AggregatedHttpResponse first = get(token);
        AggregatedHttpResponse second = get(token);

        assertThat(first.status()).isEqualTo(HttpStatus.OK);
        assertThat(first.headers().contentType().toString()).isEqualTo("application/gzip");
        assertThat(first.content().array()).isEqualTo(Files.readAllBytes(archive));
        assertThat(second.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(second.contentUtf8()).isEqualTo("no such build context\n");
    }

    @Test
    void expiredToken_notFoundWithTheSameAnswer() throws Exception {
        String token = CONTEXTS.register(archive(10));
        CLOCK.advance(Duration.ofMinutes(10));

        AggregatedHttpResponse response = get(token);

        assertThat(response.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(response.contentUtf8()).isEqualTo("no such build context\n");
    }

    @Test
    void tokenBeforeExpiry_served() throws Exception {
        String token = CONTEXTS.register(archive(10));
        CLOCK.advance(Duration.ofMinutes(9));

        assertThat(get(token).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void unknownOrRevokedToken_notFoundWithTheSameAnswer() throws Exception {
        String revoked = CONTEXTS.register(archive(10));
        CONTEXTS.revoke(revoked);
        String other = CONTEXTS.register(archive(10));

        AggregatedHttpResponse unknown = get(other.substring(1) + "A");
        AggregatedHttpResponse gone = get(revoked);

        assertThat(unknown.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(gone.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(unknown.contentUtf8()).isEqualTo(gone.contentUtf8());
        assertThat(get(other).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void otherMethods_refused_tokenNotSpent() throws Exception {
        String token = CONTEXTS.register(archive(10));

        AggregatedHttpResponse post = WebClient.of(server.httpUri()).execute(
                com.linecorp.armeria.common.HttpRequest.of(HttpMethod.POST, "/contexts/" + token)).aggregate().join();

        assertThat(post.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(get(token).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void tokens_randomAndUrlSafe() throws Exception {
        Path archive = archive(1);
        String a = CONTEXTS.register(archive);
        String b = CONTEXTS.register(archive);

        assertThat(a).isNotEqualTo(b).matches("[A-Za-z0-9_-]{43}");
    }

    /** A clock the test moves forward. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
