package io.dcf.gateway.backend.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The watcher contract's replica secret: a fresh random value per replica process, written
 * as the first line of its standard input (never its environment, which other processes of
 * the same user can read). The pipe stays open: its end tells the replica the gateway is gone.
 */
final class ReplicaSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ReplicaSecrets() {
    }

    /** 32 random bytes, base64url without padding. */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes {@code secret} and a newline to the process's standard input, leaving it open. */
    static void send(Process process, String secret) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }
}
