package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The per-replica secret of the watcher contract: a gateway that starts a replica writes a
 * random secret as the first line of the replica's standard input (never in its environment,
 * which other processes of the same user can read), and sends it in the
 * {@code dcf-replica-secret} header of every call. Calls without it are refused
 * {@code UNAUTHENTICATED}, so another local process cannot call the replica around the
 * gateway's limits. Only a hash is kept; comparison takes constant time.
 */
final class ReplicaSecret implements ServerInterceptor {

    static final Metadata.Key<String> HEADER = Metadata.Key.of("dcf-replica-secret", Metadata.ASCII_STRING_MARSHALLER);
    /** Longer first lines are refused: a secret is a few dozen characters. */
    static final int MAX_LENGTH = 512;

    private final String function;
    private final byte[] hash;

    private ReplicaSecret(String function, String secret) {
        this.function = requireNonNull(function, "function");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("the replica secret is empty");
        }
        this.hash = sha256(secret);
    }

    static ReplicaSecret of(String function, String secret) {
        return new ReplicaSecret(function, requireNonNull(secret, "secret"));
    }

    /**
     * Reads the secret from the first line of {@code in} (up to {@link #MAX_LENGTH} bytes),
     * leaving the rest of the stream unread.
     *
     * @throws IllegalArgumentException when the stream ends first or the line is too long or empty
     */
    static ReplicaSecret readLine(String function, InputStream in) throws IOException {
        byte[] line = new byte[MAX_LENGTH];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new IllegalArgumentException("standard input ended before the replica secret's line");
            }
            if (b == '\n') {
                break;
            }
            if (length == MAX_LENGTH) {
                throw new IllegalArgumentException("the replica secret's line is longer than " + MAX_LENGTH + " bytes");
            }
            line[length++] = (byte) b;
        }
        return of(function, new String(line, 0, length, StandardCharsets.US_ASCII).strip());
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, sha256(presented));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (matches(headers.get(HEADER))) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription("this replica of function " + function
                + " serves only the gateway that started it (missing or wrong dcf-replica-secret)"), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
