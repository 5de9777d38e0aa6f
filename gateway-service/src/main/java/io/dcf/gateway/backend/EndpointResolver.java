package io.dcf.gateway.backend;

import io.dcf.gateway.error.FunctionNotFoundException;
import java.util.function.Consumer;

/** Resolves a function name to the replicas that can serve it now. */
public interface EndpointResolver {

    /**
     * The function's spec and ready endpoints, read from memory (never a remote call: this
     * is on every invocation). The same replica is the same {@link Endpoint} object in
     * every route.
     *
     * @throws FunctionNotFoundException when no such function is deployed
     */
    Route route(String function);

    /**
     * The invocation path saw calls to {@code endpoint} fail in a row (passive outlier
     * detection): take it out of the route until its health says it serves again. The
     * endpoint is the very object the route handed out; an unknown or stale one is ignored.
     */
    default void eject(String function, Endpoint endpoint, String reason) {
    }

    /**
     * Calls {@code listener} with a function's name after its route may have changed (a replica
     * became ready or left, the spec changed), on the resolver's own thread, never while it holds
     * a lock: calls waiting for a replica are woken this way, with no polling. Both backends tell;
     * a resolver whose routes never change (a test's) need not.
     */
    default void onRouteChange(Consumer<String> listener) {
    }
}
