package io.dcf.build.config;

import com.linecorp.armeria.server.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Starts the Armeria server once the context is ready and stops it first on shutdown (before the builds close). */
final class ServerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

    private final Server server;
    private final HealthStatusManager health;
    private volatile boolean running;

    ServerLifecycle(Server server, HealthStatusManager health) {
        this.server = server;
        this.health = health;
    }

    @Override
    public void start() {
        server.start().join();
        health.setStatus("", ServingStatus.SERVING);
        running = true;
        log.info("DCF build-service serving gRPC dcf.v1.Builder (and REST /builds) on {}",
                server.activePort().localAddress());
    }

    @Override
    public void stop() {
        running = false;
        health.enterTerminalState();
        server.stop().join();
        log.info("DCF build-service stopped serving");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
