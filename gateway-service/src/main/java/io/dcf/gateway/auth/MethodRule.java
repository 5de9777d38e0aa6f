package io.dcf.gateway.auth;

import io.grpc.MethodDescriptor;

/**
 * What a gRPC method needs from its caller, by its name; anything not named here is management. The
 * REST routes transcoded to a method follow its rule, and /openapi.json describes the same rule.
 */
public enum MethodRule {
    /** Open to anyone: liveness and server reflection (which only describes the public API). */
    OPEN,
    /** An invocation: open unless the function says {@code auth: token}. */
    INVOKE,
    /** Management (changes or reveals functions, code, logs, status): needs the gateway's token. */
    MANAGE;

    static MethodRule of(MethodDescriptor<?, ?> method) {
        return of(method.getServiceName(), method.getBareMethodName());
    }

    /** The rule of {@code service} (full name, {@code dcf.v1.Gateway}) and {@code method} ({@code Deploy}). */
    public static MethodRule of(String service, String method) {
        if (service != null && (service.startsWith("grpc.reflection.") || service.startsWith("grpc.health."))) {
            return OPEN;
        }
        return switch (method == null ? "" : method) {
            case "Health", "HealthCheck" -> OPEN;
            case "Invoke", "Invokes" -> INVOKE;
            default -> MANAGE;
        };
    }
}
