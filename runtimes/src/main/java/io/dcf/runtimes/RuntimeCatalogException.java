package io.dcf.runtimes;

/** A list.yml that is missing or malformed; the message names the file, the runtime and the field. */
public final class RuntimeCatalogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RuntimeCatalogException(String message) {
        super(message);
    }

    RuntimeCatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
