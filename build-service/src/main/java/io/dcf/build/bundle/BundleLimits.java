package io.dcf.build.bundle;

/**
 * How much one bundle may unpack to.
 *
 * @param maxBytes   the most bytes its files may expand to
 * @param maxEntries the most entries (files, directories, links)
 * @param maxDepth   the deepest nesting of a path (a/b/c is 3)
 */
public record BundleLimits(long maxBytes, int maxEntries, int maxDepth) {

    public BundleLimits {
        if (maxBytes < 1 || maxEntries < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("bundle limits: " + maxBytes + " bytes, " + maxEntries + " entries, depth "
                    + maxDepth + " (expected: each >= 1)");
        }
    }
}
