package io.dcf.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's {@code WWW-Authenticate} challenge: {@code Basic realm="..."} or
 * {@code Bearer realm="https://auth/token",service="registry",scope="repository:fn:pull"}.
 *
 * @param scheme {@code basic}, {@code bearer}, or {@code none} when the registry asked for nothing
 * @param params the challenge's parameters (realm, service, scope)
 */
record Challenge(String scheme, Map<String, String> params) {

    static final Challenge NONE = new Challenge("none", Map.of());
    private static final Pattern PARAM = Pattern.compile("([A-Za-z_]+)=\"([^\"]*)\"|([A-Za-z_]+)=([^,\\s]+)");

    static Challenge parse(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        if (space > 0) {
            Matcher m = PARAM.matcher(trimmed.substring(space + 1));
            while (m.find()) {
                if (m.group(1) != null) {
                    params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
                } else {
                    params.put(m.group(3).toLowerCase(Locale.ROOT), m.group(4));
                }
            }
        }
        return new Challenge(scheme, Map.copyOf(params));
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    String param(String name) {
        return params.getOrDefault(name, "");
    }
}
