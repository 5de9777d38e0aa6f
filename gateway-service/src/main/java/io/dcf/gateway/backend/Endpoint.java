package io.dcf.gateway.backend;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ready replica the gateway can call, with the number of calls the gateway has
 * in flight to it. A resolver hands out the same object for the same replica in every
 * route for as long as the replica lives (its in-flight count and the outlier detector's
 * state hang on that identity); a new object means a new replica. The local backend
 * also waits for the count to reach zero before stopping a replica, so an update fails
 * no request; on Kubernetes the pod's own drain on SIGTERM does that.
 */
public final class Endpoint {

    /** The {@link #namespace()} of the local backend's replicas. */
    public static final String LOCAL = "local";
    /** The watcher contract's header for the replica secret. */
    public static final String SECRET_HEADER = "dcf-replica-secret";

    private final String host;
    private final int port;
    private final String secret;
    private final String namespace;
    private final String name;
    private final AtomicInteger inflight = new AtomicInteger();

    public Endpoint(String host, int port) {
        this(host, port, "");
    }

    /**
     * With {@code secret} non-empty, every call to the replica carries it in the
     * {@code dcf-replica-secret} header (the watcher contract's replica secret).
     */
    public Endpoint(String host, int port, String secret) {
        this(host, port, secret, "", host + ':' + port);
    }

    /**
     * A replica the backend can name: {@code namespace} and {@code name} label its own meters
     * (docs/metrics.md, "The replicas' own counters"): a pod's namespace and name on Kubernetes,
     * {@code local} and the replica's index locally.
     */
    public Endpoint(String host, int port, String secret, String namespace, String name) {
        this.host = requireNonNull(host, "host");
        this.secret = requireNonNull(secret, "secret");
        this.namespace = requireNonNull(namespace, "namespace");
        this.name = requireNonNull(name, "name");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        this.port = port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The replica's secret, sent with every call; empty when the replica needs none. Never log it. */
    public String secret() {
        return secret;
    }

    /** The replica's namespace: a pod's, {@code local} for a local replica, empty when the backend names none. */
    public String namespace() {
        return namespace;
    }

    /** The replica's name: a pod's name, a local replica's index; host:port when the backend names none. */
    public String name() {
        return name;
    }

    /** host:port */
    public String authority() {
        return host + ':' + port;
    }

    /** Calls in flight from this gateway to the replica. */
    public int inflight() {
        return inflight.get();
    }

    /** Marks one call started; pair with {@link #release()}. */
    public void acquire() {
        inflight.incrementAndGet();
    }

    /** Marks one call finished. */
    public void release() {
        inflight.decrementAndGet();
    }

    @Override
    public String toString() {
        return authority();
    }
}
