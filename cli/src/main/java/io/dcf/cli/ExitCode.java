package io.dcf.cli;

/** The exit codes of {@code dcf}, listed in the top-level help. */
public final class ExitCode {

    /** Success. */
    public static final int OK = 0;
    /** A usage error (unknown option, missing argument) or a configuration error (config.yaml). */
    public static final int USAGE = 1;
    /** The gateway is unreachable or answered with an error, or the function failed. */
    public static final int GATEWAY = 2;

    private ExitCode() {
    }
}
