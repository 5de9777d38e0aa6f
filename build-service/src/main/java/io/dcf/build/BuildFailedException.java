package io.dcf.build;

/** A build that ended with an error; the message is for the user and names the function. */
public class BuildFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BuildFailedException(String message) {
        super(message);
    }

    public BuildFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
