package io.dcf.gateway.config;

import com.linecorp.armeria.server.Server;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the Armeria server once the context is ready and stops it first on shutdown
 * (before the backend closes); tells the {@link ServingListener}s (local mode: {@code gateway.pid}).
 */
final class ServerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

    private final Server server;
    private final List<ServingListener> listeners;
    private final String backend;
    private volatile boolean running;

    ServerLifecycle(Server server, List<ServingListener> listeners, String backend) {
        this.server = server;
        this.listeners = List.copyOf(listeners);
        this.backend = backend;
    }

    @Override
    public void start() {
        server.start().join();
        int port = server.activeLocalPort();
        listeners.forEach(l -> l.serving(port));
        running = true;
        log.info("DCF gateway serving HTTP and gRPC on {} (backend {})", server.activePort().localAddress(), backend);
    }

    @Override
    public void stop() {
        running = false;
        server.stop().join();
        listeners.forEach(ServingListener::stopped);
        log.info("DCF gateway stopped serving");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
