package io.dcf.gateway.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The gateway's bearer token, kept only as its SHA-256 hash. A presented token is hashed
 * and compared in constant time; the token itself is never stored, logged or printed.
 * {@link #id()} (a short prefix of the hash) names it in audit lines.
 */
public final class GatewayToken {

    private static final int ID_HEX_CHARS = 8;

    private final byte[] hash;
    private final String id;

    private GatewayToken(byte[] hash) {
        this.hash = hash;
        this.id = HexFormat.of().formatHex(hash).substring(0, ID_HEX_CHARS);
    }

    /** The token {@code secret}; throws IllegalArgumentException when it is blank. */
    public static GatewayToken of(String secret) {
        requireNonNull(secret, "secret");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("the gateway token must not be blank");
        }
        return new GatewayToken(sha256(secret));
    }

    /** True when {@code presented} is this token; the comparison takes the same time whatever differs. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, sha256(presented));
    }

    /** True when {@code other} is the same token. */
    boolean sameAs(GatewayToken other) {
        return MessageDigest.isEqual(hash, other.hash);
    }

    /** A short, non-secret name of the token: the first hex digits of its hash. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return "GatewayToken[id=" + id + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
