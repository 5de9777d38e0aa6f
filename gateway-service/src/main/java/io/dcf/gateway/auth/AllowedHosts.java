package io.dcf.gateway.auth;

import com.linecorp.armeria.common.annotation.Nullable;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The host names requests may address ({@code Host} / {@code :authority}, any port): the
 * loopback names, the address the gateway is bound to when it is a specific one, and
 * {@code dcf.gateway.allowed-hosts}; {@code *} there allows every name. A web page whose
 * name an attacker re-points at 127.0.0.1 (DNS rebinding) still sends its own name, so
 * it is refused.
 */
public final class AllowedHosts {

    static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    private final Set<String> names;
    private final boolean any;

    private AllowedHosts(Set<String> names, boolean any) {
        this.names = names;
        this.any = any;
    }

    /** Loopback names, {@code bindAddress} unless it is a wildcard, and {@code configured}. */
    public static AllowedHosts of(String bindAddress, Collection<String> configured) {
        Set<String> names = new HashSet<>(LOOPBACK);
        String bind = normalize(bindAddress);
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            names.add(bind);
        }
        boolean any = false;
        for (String name : configured) {
            String host = hostOf(name.strip());
            any |= host.equals("*");
            if (!host.isEmpty()) {
                names.add(host);
            }
        }
        return new AllowedHosts(Set.copyOf(names), any);
    }

    /** True when {@code authority} ({@code host[:port]}) names an allowed host. */
    public boolean allows(@Nullable String authority) {
        return any || (authority != null && names.contains(hostOf(authority)));
    }

    /** The host of {@code host[:port]}, {@code [v6][:port]} or a bare IPv6 address, lower case, without a final dot. */
    static String hostOf(String authority) {
        String s = authority;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            s = end < 0 ? s.substring(1) : s.substring(1, end);
        } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
            s = s.substring(0, s.indexOf(':'));
        }
        return normalize(s);
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
