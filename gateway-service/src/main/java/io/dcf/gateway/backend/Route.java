package io.dcf.gateway.backend;

import io.dcf.proto.v1.FunctionSpec;
import java.util.List;

/**
 * Where calls to one function go: its spec (for timeout and body limits) and its
 * ready endpoints, possibly none.
 */
public record Route(FunctionSpec spec, List<Endpoint> endpoints) {
    public Route {
        endpoints = List.copyOf(endpoints);
    }
}
