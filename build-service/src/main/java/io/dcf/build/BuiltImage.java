package io.dcf.build;

import static java.util.Objects.requireNonNull;

/**
 * An image a builder pushed.
 *
 * @param repository {@code registry/name}
 * @param digest the manifest's digest, {@code sha256:...}
 * @param layers how many layers the image has
 */
public record BuiltImage(String repository, String digest, int layers) {

    public BuiltImage {
        requireNonNull(repository, "repository");
        requireNonNull(digest, "digest");
        if (!digest.startsWith("sha256:")) {
            throw new IllegalArgumentException("digest: '" + digest + "' (expected: sha256:...)");
        }
    }

    /** {@code registry/name@sha256:...}: what a Deployment runs. */
    public String reference() {
        return repository + "@" + digest;
    }
}
