package io.dcf.gateway.backend.kubernetes;

import java.util.Map;

/**
 * The kubelet's expansion of {@code $(NAME)} in a container's env values, ported line by
 * line from Kubernetes' third_party/forked/golang/expansion/expand.go: {@code $$} becomes
 * {@code $}, {@code $(NAME)} becomes NAME's value when NAME is defined and stays as written
 * otherwise, any other {@code $} stays.
 */
final class KubeletExpansion {

    private KubeletExpansion() {
    }

    static String expand(String input, Map<String, String> vars) {
        StringBuilder buf = new StringBuilder();
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) == '$' && cursor + 1 < input.length()) {
                buf.append(input, checkpoint, cursor);
                String rest = input.substring(cursor + 1);
                String read;
                boolean isVar = false;
                int advance = 1;
                if (rest.charAt(0) == '$') {
                    read = "$";
                } else if (rest.charAt(0) == '(') {
                    int close = rest.indexOf(')', 1);
                    if (close > 0) {
                        read = rest.substring(1, close);
                        isVar = true;
                        advance = close + 1;
                    } else {
                        read = "$(";
                    }
                } else {
                    read = "$" + rest.charAt(0);
                }
                buf.append(isVar ? vars.getOrDefault(read, "$(" + read + ")") : read);
                cursor += advance;
                checkpoint = cursor + 1;
            }
        }
        return buf.append(input.substring(checkpoint)).toString();
    }
}
