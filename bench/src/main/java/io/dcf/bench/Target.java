package io.dcf.bench;

import com.linecorp.armeria.client.ClientFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One way of sending the echo payload: each {@link #call()} sends it once, without
 * blocking, and completes with the size of the echoed output, or fails.
 */
interface Target {

    /** {@code dcf.v1.Watcher/Call} straight at a replica. */
    static Target watcherGrpc(ClientFactory factory, String authority, String function, byte[] payload,
                              Duration timeout) {
        return new WatcherGrpcTarget(factory, authority, function, payload, timeout);
    }

    /** {@code dcf.v1.Gateway/Invoke} through the gateway. */
    static Target gatewayGrpc(ClientFactory factory, String authority, String function, byte[] payload,
                              Duration timeout) {
        return new GatewayGrpcTarget(factory, authority, function, payload, timeout);
    }

    /** {@code POST /function/<name>} through the gateway, over "h1c" or "h2c". */
    static Target gatewayHttp(ClientFactory factory, String protocol, String authority, String function,
                              byte[] payload, Duration timeout) {
        return new GatewayHttpTarget(factory, protocol, authority, function, payload, timeout);
    }

    /** The scenario's name in the report, for example "gateway gRPC". */
    String name();

    /** Sends the payload once; completes with the output's size in bytes. */
    CompletableFuture<Integer> call();
}
