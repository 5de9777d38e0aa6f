package io.dcf.gateway.build.local;

/**
 * Limits on a function's code as the gateway lays it out, whatever its source (an
 * uploaded zip or a local path): a hostile or mistaken artifact must not fill
 * DCF_HOME's disk or nest without end.
 *
 * @param maxBytes   the bytes all deploys in progress may expand to together (one shared budget)
 * @param maxEntries the most files and directories one artifact may hold
 * @param maxDepth   the deepest directory nesting one artifact may hold
 */
public record CodeLimits(long maxBytes, int maxEntries, int maxDepth) {

    /** The defaults: 2 GiB shared, 10,000 entries, 32 levels. */
    public static final CodeLimits DEFAULT = new CodeLimits(2L << 30, 10_000, 32);

    public CodeLimits {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: > 0)");
        }
        if (maxDepth <= 0) {
            throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: > 0)");
        }
    }
}
