package io.dcf.gateway.auth;

import java.security.SecureRandom;
import java.util.Base64;

/** New random secrets (the gateway's token, each replica's secret): 32 bytes, base64url without padding. */
public final class RandomSecrets {

    private static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomSecrets() {
    }

    public static String next() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
