package io.dcf.gateway.auth;

import com.linecorp.armeria.common.annotation.Nullable;
import io.grpc.Status;

/**
 * Who made a call, as far as the gateway can tell: {@code id} names the caller in audit
 * lines ({@code token:<id>}, {@code anonymous}, {@code invalid-token}, {@code auth-disabled});
 * {@code refusal} is why a call that needs the token is refused, null when the caller has it.
 */
public record Caller(String id, @Nullable Status refusal) {

    /** True when the caller presented the gateway's token (or authentication is disabled). */
    public boolean authenticated() {
        return refusal == null;
    }
}
