package io.dcf.build.kaniko;

import io.dcf.proto.FunctionNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A build Job's name and its {@code dcf.io/build-id} label value from a build's id: a DNS-1123
 * label ({@link FunctionNames}) of at most 63 characters, {@code dcf-build-<id>}. An id that is
 * not already lower-case letters, digits and '-' or is too long is cut and given a short hash of
 * itself, so that two ids never share a name. Pure.
 */
final class JobNames {

    static final String PREFIX = "dcf-build-";
    private static final int HASH = 10;

    private JobNames() {
    }

    /** The Job's name (also the value of its {@code dcf.io/build-id} label). */
    static String of(String buildId) {
        String plain = PREFIX + buildId;
        if (FunctionNames.isValid(plain)) {
            return plain;
        }
        String cleaned = buildId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        int room = FunctionNames.MAX_LENGTH - PREFIX.length() - HASH - 1;
        if (cleaned.length() > room) {
            cleaned = cleaned.substring(0, room);
        }
        cleaned = cleaned.replaceAll("^-+|-+$", "");
        String name = PREFIX + (cleaned.isEmpty() ? "" : cleaned + "-") + hash(buildId);
        if (!FunctionNames.isValid(name)) {
            throw new IllegalStateException("Job name '" + name + "' from build id '" + buildId + "' is not a DNS-1123 label");
        }
        return name;
    }

    private static String hash(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }
}
