package io.dcf.runtimes.build;

import java.util.List;

/**
 * A function's Java sources did not compile ({@link #errors()}, file and line first), or the
 * Java runtime has no compiler ({@link #noCompiler()}).
 */
public final class JavaCompileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String function;
    private final transient List<String> errors;

    private JavaCompileException(String function, String message, List<String> errors) {
        super(message);
        this.function = function;
        this.errors = List.copyOf(errors);
    }

    static JavaCompileException errors(String function, List<String> errors) {
        return new JavaCompileException(function, "function " + function + ": compilation failed:\n"
                + String.join("\n", errors), errors);
    }

    static JavaCompileException noCompiler(String function) {
        return new JavaCompileException(function, "cannot compile function " + function + ": this Java runtime ("
                + System.getProperty("java.home") + ") has no Java compiler; run it on a JDK", List.of());
    }

    /** The function whose sources these are. */
    public String function() {
        return function;
    }

    /** The compiler's errors, at most 20, each {@code file:line: error: message}; empty if {@link #noCompiler()}. */
    public List<String> errors() {
        return errors;
    }

    /** The first error, or the message when there is none. */
    public String firstError() {
        return errors.isEmpty() ? getMessage() : errors.get(0);
    }

    /** True when the Java runtime has no compiler (a JRE): nothing is wrong with the sources. */
    public boolean noCompiler() {
        return errors.isEmpty();
    }
}
