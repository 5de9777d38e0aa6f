package io.dcf.build;

import com.linecorp.armeria.server.ServerBuilder;

/**
 * A bean that adds routes of its own to build-service's Armeria server (e.g. the Kaniko
 * builder's build-context endpoint). The gRPC service, health and reflection are already there.
 */
@FunctionalInterface
public interface BuildServerRoutes {

    void addTo(ServerBuilder server);
}
