package io.dcf.gateway.auth;

import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per management call on the logger {@code dcf.audit}: who (peer address and
 * token id, {@code anonymous} or {@code invalid-token}), what (method and function), and
 * the result (status code). Never the token.
 */
final class AuditLog {

    static final String LOGGER = "dcf.audit";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private AuditLog() {
    }

    static void record(Caller caller, SocketAddress peer, String method, String function, Status.Code result) {
        log.info("caller={} peer={} method={} function={} status={}", caller.id(), peer(peer), method,
                FunctionNames.forLog(function), result);
    }

    private static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address == null ? "-" : address.toString();
    }
}
