package io.dcf.cli;

/**
 * An error the CLI reports as one line on stderr ({@code Error: <message>}) with an
 * exit code: {@link ExitCode#USAGE} for usage and configuration errors,
 * {@link ExitCode#GATEWAY} for gateway and function errors.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A usage or configuration error (exit code 1). */
    public static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    /** A gateway or function error (exit code 2). */
    public static CliException gateway(String message) {
        return new CliException(ExitCode.GATEWAY, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
