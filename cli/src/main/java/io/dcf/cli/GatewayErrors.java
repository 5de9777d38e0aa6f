package io.dcf.cli;

import io.dcf.cli.config.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.time.Duration;

/** Maps a gRPC status from the gateway to one line and an exit code, in one place. */
final class GatewayErrors {

    private GatewayErrors() {
    }

    static CliException toCliException(StatusRuntimeException e, GatewayAddress address, String function,
                                       Duration deadline) {
        Status status = e.getStatus();
        String description = status.getDescription();
        String message = switch (status.getCode()) {
            case UNAVAILABLE -> status.getCause() != null || isTransport(description)
                    ? unreachable(address, reason(status))
                    : orCode(description, status);
            case NOT_FOUND -> function != null ? "function " + function + " not found" : orCode(description, status);
            case DEADLINE_EXCEEDED -> isClientDeadline(description)
                    ? "no answer from the DCF gateway at " + address + " within " + Durations.format(deadline)
                    + (function != null ? " (function " + function + ")" : "")
                    : orCode(description, status);
            default -> orCode(description, status);
        };
        return new CliException(ExitCode.GATEWAY, message, e);
    }

    static String unreachable(GatewayAddress address, String reason) {
        return "cannot reach the DCF gateway at " + address + " (" + reason
                + "); start it with ./dcf up or pass --gateway";
    }

    private static boolean isTransport(String description) {
        return description != null && description.startsWith("io exception");
    }

    /**
     * True when grpc-java itself ended the call at the CLI's deadline. Its descriptions
     * vary by version and carry transport internals ("CallOptions deadline exceeded after
     * 29.9s. Name resolution delay ... [closed=[], open=[[buffered_nanos=..., remote_addr=...]]]",
     * "ClientCall started after CallOptions deadline was exceeded ..."); the gateway's own
     * DEADLINE_EXCEEDED messages ("function f timed out after 100 ms") never speak of a deadline.
     */
    static boolean isClientDeadline(String description) {
        if (description == null) {
            return true;
        }
        String d = description.toLowerCase(java.util.Locale.ROOT);
        return d.contains("deadline") && d.contains("exceeded");
    }

    /** A short reason from the transport's exception: "connection refused", "unknown host x", ... */
    static String reason(Status status) {
        Throwable cause = status.getCause();
        String text = status.getDescription();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t.getMessage() != null) {
                text = t.getMessage();
            }
        }
        if (text == null || text.isBlank()) {
            return "unavailable";
        }
        for (String part : text.split(": ")) {
            if (!part.contains("(..)") && !part.endsWith("failed") && !part.isBlank()) {
                return part.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + part.substring(1);
            }
        }
        return text;
    }

    private static String orCode(String description, Status status) {
        return description == null || description.isBlank()
                ? "the gateway answered " + status.getCode()
                : description;
    }

    /** The gateway refused the call for want of a valid token: say which token was sent, and how to send one. */
    static String unauthenticated(Status status, GatewayAddress address, java.util.Optional<BearerToken> token) {
        String why = token.map(t -> "the " + t + " was refused")
                .orElse("no token was sent; on the gateway's machine the CLI reads $DCF_HOME/token by itself");
        return "the DCF gateway at " + address + " needs its token (" + why + "); set " + BearerToken.ENV
                + ", pass --token-file FILE, or run dcf login --gateway " + address + " --token-file FILE"
                + (status.getDescription() == null ? "" : " [" + status.getDescription() + "]");
    }

    /** True when the gateway closed the connection without an HTTP/2 answer (as a TLS port does to plaintext). */
    static boolean closedByPeer(Status status) {
        return status.getCode() == Status.Code.UNAVAILABLE && status.getDescription() != null
                && status.getDescription().startsWith("Network closed for unknown reason");
    }

    static String plaintextRefused(GatewayAddress address) {
        return "cannot reach the DCF gateway at " + address + " (it closed the connection, as a gateway serving TLS"
                + " does to plaintext); pass --tls, or --ca FILE for a self-signed certificate";
    }
}
