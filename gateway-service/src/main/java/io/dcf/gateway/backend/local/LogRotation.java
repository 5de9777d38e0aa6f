package io.dcf.gateway.backend.local;

/**
 * How replica logs are kept: {@code replica-<i>.log} grows to about {@code maxBytes}, then
 * becomes {@code replica-<i>.log.1} (the previous {@code .1} becomes {@code .2}, and so on);
 * at most {@code files} files are kept, the current one included.
 *
 * @param maxBytes the size at which the current file is rotated
 * @param files    how many files are kept, the current one included
 */
public record LogRotation(long maxBytes, int files) {

    public LogRotation {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        if (files < 1) {
            throw new IllegalArgumentException("files: " + files + " (expected: >= 1)");
        }
    }
}
