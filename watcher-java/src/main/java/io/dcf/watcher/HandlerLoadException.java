package io.dcf.watcher;

/** The handler could not be loaded or initialised; the watcher exits with status 3. */
final class HandlerLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    HandlerLoadException(String message) {
        super(message);
    }

    HandlerLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
