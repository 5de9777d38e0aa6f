package io.dcf.gateway.backend.local;

import io.dcf.gateway.auth.RandomSecrets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The watcher contract's replica secret: a fresh random value per replica process, written
 * as the first line of its standard input (never its environment, which other processes of
 * the same user can read). The pipe stays open: its end tells the replica the gateway is gone.
 */
final class ReplicaSecrets {

    private ReplicaSecrets() {
    }

    /** A new secret for one replica process. */
    static String generate() {
        return RandomSecrets.next();
    }

    /** Writes {@code secret} and a newline to the process's standard input, leaving it open. */
    static void send(Process process, String secret) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
    }
}
