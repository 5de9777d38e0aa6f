package io.dcf.build.bundle;

/**
 * A bundle refused: a hostile or malformed entry (INVALID_ARGUMENT) or one past the limits
 * (RESOURCE_EXHAUSTED, {@link #limit()}). The message names the function and the entry.
 */
public final class BundleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean limit;

    private BundleException(String message, boolean limit) {
        super(message);
        this.limit = limit;
    }

    static BundleException entry(String function, String entry, String why) {
        return new BundleException("function " + function + ": bundle entry '" + entry + "': " + why, false);
    }

    static BundleException malformed(String function, String why) {
        return new BundleException("function " + function + ": bundle: " + why, false);
    }

    static BundleException limit(String function, String entry, String why) {
        return new BundleException("function " + function + ": bundle entry '" + entry + "': " + why, true);
    }

    /** True when the bundle went past a limit (entries, bytes) rather than holding a hostile entry. */
    public boolean limit() {
        return limit;
    }
}
