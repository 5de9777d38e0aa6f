package io.dcf.gateway.build;

import java.security.SecureRandom;
import java.util.Base64;

/** Ids of builds made by the gateway itself: short, URL-safe, random. */
public final class BuildIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private BuildIds() {
    }

    /** A new id, e.g. {@code local-3fZ0q1xYbQ8}. */
    public static String next(String prefix) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
