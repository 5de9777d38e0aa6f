package io.dcf.proto;

import java.util.regex.Pattern;

/**
 * The rule for a function's name ({@code FunctionSpec.name} in {@code dcf/v1/gateway.proto}):
 * a DNS-1123 label, so that it can name a directory, a URL path segment and Kubernetes
 * objects. The gateway and the CLI both check it here, each with its own message.
 */
public final class FunctionNames {

    /** The longest name: a DNS-1123 label has at most 63 characters. */
    public static final int MAX_LENGTH = 63;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private FunctionNames() {
    }

    /** Whether {@code name} is a DNS-1123 label: lower case letters, digits and '-', not at either end, 1-63 characters. */
    public static boolean isValid(String name) {
        return name.length() <= MAX_LENGTH && LABEL.matcher(name).matches();
    }
}
