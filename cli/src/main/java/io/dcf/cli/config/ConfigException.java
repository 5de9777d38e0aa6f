package io.dcf.cli.config;

/**
 * A config.yaml error. The message names the file and line, then the function and key
 * when there is one: {@code config.yaml:7: function hello-dcf: unknown key 'runtme' (did you mean 'runtime'?)}.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
