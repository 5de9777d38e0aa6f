package io.dcf.gateway.backend;

import io.dcf.gateway.error.FunctionNotFoundException;

/** Resolves a function name to the replicas that can serve it now. */
public interface EndpointResolver {

    /**
     * The function's spec and ready endpoints.
     *
     * @throws FunctionNotFoundException when no such function is deployed
     */
    Route route(String function);
}
