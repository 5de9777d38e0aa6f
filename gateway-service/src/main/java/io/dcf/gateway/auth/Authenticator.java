package io.dcf.gateway.auth;

import com.linecorp.armeria.common.annotation.Nullable;
import io.grpc.Status;
import java.util.Locale;

/**
 * Checks the {@code Authorization: Bearer <token>} of a request against the gateway's token.
 * Disabled (no token), every caller counts as authenticated.
 */
public final class Authenticator {

    /** The scheme of the Authorization header, and of the WWW-Authenticate challenge. */
    public static final String BEARER = "Bearer";

    static final String MISSING = "this call needs the gateway's token (header 'Authorization: Bearer <token>');"
            + " the dcf CLI reads a local gateway's token from its DCF_HOME/token, or use DCF_TOKEN,"
            + " --token-file or dcf login (see docs/api.md, Authentication)";
    static final String INVALID = "the bearer token is not this gateway's token";
    static final String MALFORMED = "the Authorization header is not 'Bearer <token>'";

    private static final Caller DISABLED = new Caller("auth-disabled", null);

    private final boolean enabled;
    @Nullable
    private volatile GatewayToken token;

    private Authenticator(@Nullable GatewayToken token) {
        this.enabled = token != null;
        this.token = token;
    }

    /** Accepts callers that present {@code token}. */
    public static Authenticator of(GatewayToken token) {
        return new Authenticator(java.util.Objects.requireNonNull(token, "token"));
    }

    /** Accepts every caller: authentication is disabled. */
    public static Authenticator disabled() {
        return new Authenticator(null);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Replaces the token (rotation); true when it differs from the current one. Ignored when disabled. */
    boolean rotate(GatewayToken next) {
        GatewayToken current = token;
        if (!enabled || current == null || current.sameAs(next)) {
            return false;
        }
        token = next;
        return true;
    }


    /** Who sent {@code authorization} (the header's value, null when absent). */
    public Caller authenticate(@Nullable String authorization) {
        GatewayToken token = this.token;
        if (token == null) {
            return DISABLED;
        }
        if (authorization == null || authorization.isBlank()) {
            return new Caller("anonymous", Status.UNAUTHENTICATED.withDescription(MISSING));
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return new Caller("invalid-token", Status.UNAUTHENTICATED.withDescription(MALFORMED));
        }
        if (!token.matches(value.substring(space + 1).strip())) {
            return new Caller("invalid-token", Status.UNAUTHENTICATED.withDescription(INVALID));
        }
        return new Caller("token:" + token.id(), null);
    }
}
