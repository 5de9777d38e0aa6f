package io.dcf.gateway.backend.kubernetes;

import java.util.regex.Pattern;

/**
 * The API server's syntax rules for names, label keys and values, annotation keys and
 * environment variable names (k8s.io/apimachinery/pkg/util/validation), checked before a
 * request is sent so that a bad spec is refused with the field it came from. Pure.
 */
final class KubernetesNames {

    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    /** Kubernetes 1.20's rule (later versions accept more; this is what every version accepts). */
    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    static final int MAX_LABEL = 63;
    static final int MAX_SUBDOMAIN = 253;

    /** What a label key or annotation key must look like, for error messages. */
    static final String QUALIFIED_NAME_RULE = "an optional DNS subdomain prefix and '/', then a name of at most 63"
            + " letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    static final String LABEL_VALUE_RULE = "empty, or at most 63 letters, digits, '-', '_' or '.',"
            + " starting and ending with a letter or digit";
    static final String SUBDOMAIN_RULE = "a DNS-1123 subdomain: lower case letters, digits, '-' and '.',"
            + " starting and ending with a letter or digit, at most 253 characters";

    private KubernetesNames() {
    }

    /** Namespaces, container and volume names: one part of a DNS-1123 subdomain, at most 63 characters. */
    static boolean isDns1123Label(String s) {
        return s.length() <= MAX_LABEL && s.indexOf('.') < 0 && isDns1123Subdomain(s);
    }

    /** Service names: a DNS-1123 label that starts with a letter. */
    static boolean isDns1035Label(String s) {
        return isDns1123Label(s) && s.charAt(0) >= 'a' && s.charAt(0) <= 'z';
    }

    static boolean isDns1123Subdomain(String s) {
        return s.length() <= MAX_SUBDOMAIN && DNS1123_SUBDOMAIN.matcher(s).matches();
    }

    /** A label key or annotation key: {@code [prefix/]name}. */
    static boolean isQualifiedName(String key) {
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || !isDns1123Subdomain(prefix)) {
                return false;
            }
        }
        return name.length() <= MAX_LABEL && QUALIFIED_NAME.matcher(name).matches();
    }

    static boolean isLabelValue(String value) {
        return value.isEmpty() || value.length() <= MAX_LABEL && QUALIFIED_NAME.matcher(value).matches();
    }

    static boolean isEnvVarName(String name) {
        return ENV_VAR_NAME.matcher(name).matches();
    }
}
