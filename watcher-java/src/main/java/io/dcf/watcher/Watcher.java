package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.WatcherGrpc;
import io.dcf.sdk.Context;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One replica: binds the port ({@link #start()}), loads the handler ({@link #load()}), serves
 * it, and drains on request ({@link #drain(Duration)}): health {@code NOT_SERVING}, new calls
 * refused, calls in flight given time to finish, then the server, the threads and the handler
 * are closed. {@link WatcherMain} wires signals and exit codes around it; tests run it in-process.
 */
final class Watcher implements AutoCloseable {

    private static final Logger logger = Logger.getLogger(Watcher.class.getName());
    private static final long IDLE_POLL_MILLIS = 20;

    private volatile WatcherConfig config;
    private final Admission admission;
    private final WatcherGrpcService service;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService executor;
    private final ScheduledExecutorService timer = HandlerExecutors.timer();
    private final Consumer<String> onStuck;
    private volatile HandlerThreads threads;
    private final CallStats stats;
    private final Server server;
    private LoadedHandler handler;
    private boolean closed;

    /** A watcher that only logs when a handler is stuck ({@link HandlerThreads}); for tests. */
    Watcher(WatcherConfig config) {
        this(config, Optional.empty(), logger::severe);
    }

    /**
     * With {@code secret}, calls to the Watcher service must carry it (health stays open);
     * {@code onStuck} gets one line when a handler thread runs on past its call and the grace.
     */
    Watcher(WatcherConfig config, Optional<ReplicaSecret> secret, Consumer<String> onStuck) {
        this.config = requireNonNull(config, "config");
        this.onStuck = requireNonNull(onStuck, "onStuck");
        this.threads = new HandlerThreads(config.functionName(), timer, config.stuckGrace().toMillis(), onStuck);
        this.admission = new Admission(config.functionName(), config.maxConcurrency());
        this.stats = new CallStats(config.maxConcurrency());
        this.service = new WatcherGrpcService(admission, stats);
        this.executor = HandlerExecutors.handlers(config.maxConcurrency());
        setHealth(ServingStatus.NOT_SERVING);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
                .addService(secret.isPresent() ? ServerInterceptors.intercept(service, secret.get()) : service.bindService())
                .addService(health.getHealthService())
                // Transport callbacks only admit a call and hand it to the handler threads (nothing blocks
                // in them), so they run on the event loop itself: no extra thread hop per call and event.
                .directExecutor()
                .maxInboundMessageSize(config.maxMessageBytes())
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build();
    }

    /** Binds the port (health {@code NOT_SERVING}) and writes the port file, if one is configured. */
    Watcher start() throws IOException {
        server.start();
        logger.info(() -> "function=" + config.functionName() + " listening on " + config.host() + ":" + port());
        if (config.portFile().isPresent()) {
            PortFile.write(config.portFile().get(), port());
        }
        return this;
    }

    /** The bound port; after {@link #start()}. */
    int port() {
        return server.getPort();
    }

    /** Pool mode: {@code dcf.v1.Watcher/Load} goes to {@code loads}; set before {@link #start()}. */
    void acceptLoads(PooledLoad loads) {
        service.acceptLoads(loads);
    }

    /** Loads the handler and runs its {@code init}, then reports {@code SERVING}. Blocks until done. */
    void load() throws HandlerLoadException {
        load(System.getenv());
    }

    /**
     * Pool mode: becomes a replica of the function {@code loaded} names (its handler, timeout and
     * name; the port, threads and limits stay as started), with {@code environment} as the handler's
     * {@code Context} environment; then as {@link #load()}.
     */
    void load(WatcherConfig loaded, java.util.Map<String, String> environment) throws HandlerLoadException {
        synchronized (this) {
            config = requireNonNull(loaded, "loaded");
            threads = new HandlerThreads(loaded.functionName(), timer, loaded.stuckGrace().toMillis(), onStuck);
            admission.rename(loaded.functionName());
        }
        load(environment);
    }

    private void load(java.util.Map<String, String> environment) throws HandlerLoadException {
        WatcherConfig config = this.config;
        String function = config.functionName();
        logger.info(() -> "function=" + function + " loading handler " + config.handlerClass() + " from "
                + config.handlerPath());
        long started = System.nanoTime();
        LoadedHandler loaded = HandlerLoader.of(config).load(
                new Context(function, config.functionDir(), environment));
        synchronized (this) {
            if (closed) {
                logger.info(() -> "function=" + function + " stopped while loading; closing the handler");
                closeHandler(loaded);
                return;
            }
            handler = loaded;
            service.serve(new HandlerInvoker(loaded, executor, timer, config, threads, stats));
            setHealth(ServingStatus.SERVING);
        }
        logger.info(() -> "function=" + function + " serving " + loaded.className() + " (loaded in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms)");
    }

    boolean isServing() {
        return admission.isServing();
    }

    /**
     * Drains and stops; returns whether every call in flight finished within {@code timeout}.
     * Idempotent: a second call returns at once.
     */
    synchronized boolean drain(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (closed) {
            return true;
        }
        closed = true;
        String function = config.functionName();
        health.enterTerminalState();
        threads.abandonExiting();
        logger.info(() -> "function=" + function + " draining: " + admission.inFlight()
                + " calls in flight, waiting up to " + timeout.toMillis() + " ms");
        boolean idle = awaitIdle(timeout);
        if (!idle) {
            logger.warning(() -> "function=" + function + " drain timed out with " + admission.inFlight()
                    + " calls in flight; cancelling them");
        }
        stopServer();
        stopThreads();
        if (handler != null) {
            closeHandler(handler);
        }
        logger.info(() -> "function=" + function + " stopped");
        return idle;
    }

    /** {@link #drain(Duration)} with {@code DCF_DRAIN_TIMEOUT_MS}. */
    @Override
    public void close() {
        drain(config.drainTimeout());
    }

    /** Waits until the server has stopped. */
    void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Waits until every admitted call has answered; overrunning handler threads are not waited for. */
    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (admission.drain(Duration.ZERO)) {
                return true;
            }
            while (admission.inFlight() > threads.overrunning()) {
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(IDLE_POLL_MILLIS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void stopServer() {
        server.shutdown();
        try {
            // Health Watch streams stay open until told otherwise: give them a moment, then cut them.
            if (!server.awaitTermination(500, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void stopThreads() {
        executor.shutdownNow();
        timer.shutdownNow();
        int overrunning = threads.overrunning();
        if (overrunning > 0) {
            logger.warning(() -> "function=" + config.functionName() + " not waiting for " + overrunning
                    + " handler thread(s) that ran on past their calls");
            return;
        }
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                logger.warning(() -> "function=" + config.functionName()
                        + " handler threads still running after interruption");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeHandler(LoadedHandler loaded) {
        try {
            loaded.close();
        } catch (Exception | LinkageError e) {
            logger.log(Level.WARNING, e, () -> "function=" + config.functionName() + " handler close failed: "
                    + Statuses.describe(e));
        }
    }

    private void setHealth(ServingStatus status) {
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        health.setStatus(WatcherGrpc.SERVICE_NAME, status);
    }
}
