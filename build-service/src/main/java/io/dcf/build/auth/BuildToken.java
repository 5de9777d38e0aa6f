package io.dcf.build.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * build-service's bearer token, kept only as its SHA-256 hash and compared in constant time.
 * Read from a file (on Kubernetes the gateway's token Secret, so the CLI's and the gateway's
 * token work), or generated into one (mode 0600) when the file does not exist.
 */
public final class BuildToken {

    private static final Logger log = LoggerFactory.getLogger(BuildToken.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] hash;
    private final Path file;

    private BuildToken(String secret, Path file) {
        this.hash = sha256(secret);
        this.file = file;
    }

    /** The token in {@code file} (its first line); a new random one written there when it does not exist. */
    public static BuildToken readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                log.info("Generated a build-service token in {} (dcf.build.token-file to use another)", file);
                return new BuildToken(secret, file);
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            if (secret.isEmpty()) {
                throw new IllegalStateException("the build-service token file " + file + " is empty (dcf.build.token-file)");
            }
            log.info("build-service token read from {}", file);
            return new BuildToken(secret, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the build-service token file " + file
                    + " (dcf.build.token-file)", e);
        }
    }

    /** True when {@code authorization} is {@code Bearer <this token>}; same time whatever differs. */
    public boolean matchesHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(hash, sha256(authorization.substring(7).strip()));
    }

    /** Where the token is. */
    public Path file() {
        return file;
    }

    /** A short non-secret name of the token: the first hex digits of its hash. */
    public String id() {
        return HexFormat.of().formatHex(hash).substring(0, 8);
    }

    @Override
    public String toString() {
        return "BuildToken[id=" + id() + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
