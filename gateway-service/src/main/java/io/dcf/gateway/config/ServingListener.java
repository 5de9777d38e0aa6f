package io.dcf.gateway.config;

/**
 * Told when the gateway's port starts and stops serving: the local backend publishes
 * {@code gateway.pid} and releases DCF_HOME through one; a cluster gateway has none.
 */
interface ServingListener {

    /** The server listens on {@code port}. */
    void serving(int port);

    /** The server has stopped; release what {@link #serving} published. */
    void stopped();
}
