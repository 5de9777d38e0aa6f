package io.dcf.build.kaniko;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.file.HttpFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Build contexts handed to build pods by one-time tokens. {@link #register} gives a context
 * archive a random token (256 bits, URL-safe) that expires after a while; {@link #httpService}
 * answers {@code GET /contexts/{token}} with the archive, streamed from its file, once: the
 * token is spent by that request. A spent, expired, revoked or unknown token gets the same
 * 404. Tokens are kept only as their SHA-256, so the lookup does not compare secrets.
 */
public final class BuildContexts {

    /** The route build-service serves contexts on. */
    public static final String PATH = "/contexts/{token}";
    static final MediaType GZIP = MediaType.parse("application/gzip");

    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Path archive, Instant expires) {
    }

    BuildContexts(Duration ttl, Clock clock) {
        this.ttl = requireNonNull(ttl, "ttl");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Contexts whose tokens expire {@code ttl} after they are made. */
    public static BuildContexts of(Duration ttl) {
        return new BuildContexts(ttl, Clock.systemUTC());
    }

    /** A new one-time token for {@code archive}. */
    String register(Path archive) {
        requireNonNull(archive, "archive");
        Instant now = clock.instant();
        entries.values().removeIf(e -> !e.expires().isAfter(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        entries.put(hash(token), new Entry(archive, now.plus(ttl)));
        return token;
    }

    /** Forgets {@code token} (the build ended before its pod fetched the context). */
    void revoke(String token) {
        entries.remove(hash(token));
    }

    /** The archive of {@code token}, spending it; null when it is unknown, spent or expired. */
    Path take(String token) {
        Entry entry = entries.remove(hash(token));
        return entry == null || !entry.expires().isAfter(clock.instant()) ? null : entry.archive();
    }

    /** Tokens not yet spent or expired. */
    int pending() {
        Instant now = clock.instant();
        return (int) entries.values().stream().filter(e -> e.expires().isAfter(now)).count();
    }

    /** {@code GET /contexts/{token}}: the archive once; 404 otherwise, without saying why. */
    public HttpService httpService() {
        return (ctx, req) -> {
            if (req.method() != HttpMethod.GET) {
                return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8, "use GET\n");
            }
            String token = ctx.pathParam("token");
            Path archive = token == null ? null : take(token);
            if (archive == null) {
                return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "no such build context\n");
            }
            return HttpFile.builder(archive).contentType(GZIP).build().asService().serve(ctx, req);
        };
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }
}
