package io.dcf.gateway.config;

import com.linecorp.armeria.server.Server;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the Armeria server once the context is ready and stops it first on shutdown
 * (before the backend stops the replicas); publishes and removes {@code gateway.pid}.
 */
final class ServerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

    private final Server server;
    private final HomeLock homeLock;
    private final String backend;
    private volatile boolean running;

    ServerLifecycle(Server server, HomeLock homeLock, String backend) {
        this.server = server;
        this.homeLock = homeLock;
        this.backend = backend;
    }

    @Override
    public void start() {
        server.start().join();
        int port = server.activeLocalPort();
        homeLock.publish(port);
        running = true;
        log.info("DCF gateway serving HTTP and gRPC on {} (backend {})", server.activePort().localAddress(), backend);
    }

    @Override
    public void stop() {
        running = false;
        server.stop().join();
        try {
            homeLock.close();
        } catch (IOException e) {
            log.warn("Cannot release DCF_HOME: {}", e.getMessage());
        }
        log.info("DCF gateway stopped serving");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
