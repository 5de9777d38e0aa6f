package io.dcf.gateway.auth;

import io.grpc.MethodDescriptor;

/** What a gRPC method needs from its caller, by its name; anything not named here is management. */
enum MethodRule {
    /** Open to anyone: liveness and server reflection (which only describes the public API). */
    OPEN,
    /** An invocation: open unless the function says {@code auth: token}. */
    INVOKE,
    /** Management (changes or reveals functions, code, logs, status): needs the gateway's token. */
    MANAGE;

    static MethodRule of(MethodDescriptor<?, ?> method) {
        String service = method.getServiceName() == null ? "" : method.getServiceName();
        if (service.startsWith("grpc.reflection.") || service.startsWith("grpc.health.")) {
            return OPEN;
        }
        return switch (method.getBareMethodName() == null ? "" : method.getBareMethodName()) {
            case "Health", "HealthCheck" -> OPEN;
            case "Invoke", "Invokes" -> INVOKE;
            default -> MANAGE;
        };
    }
}
