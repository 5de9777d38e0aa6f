package io.dcf.build;

/** A build stopped because it was cancelled. */
public final class BuildCancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BuildCancelledException(String buildId) {
        super("build " + buildId + " was cancelled");
    }
}
