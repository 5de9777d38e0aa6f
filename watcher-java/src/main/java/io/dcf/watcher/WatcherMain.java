package io.dcf.watcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The replica process: environment (and {@code --key=value} arguments) to {@link WatcherConfig},
 * then {@link Watcher}, with SIGTERM and end of standard input wired to a graceful drain.
 *
 * <p>Exit status: 0 after a drain, 1 when the port cannot be bound, 2 for a bad
 * configuration, 3 when the handler cannot be loaded or its {@code init} fails, 75 after a
 * drain when a handler thread ran on past its call's end and {@code DCF_STUCK_GRACE_MS}.
 */
public final class WatcherMain {

    private static final Logger logger = Logger.getLogger(WatcherMain.class.getName());
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private WatcherMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        WatcherConfig config;
        Map<String, String> env;
        boolean pool;
        try {
            env = Arguments.overlay(System.getenv(), args);
            config = WatcherConfig.fromMap(env);
            pool = WatcherConfig.poolMode(env);
        } catch (IllegalArgumentException e) {
            logger.severe(() -> "invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Optional<ReplicaSecret> secret;
        try {
            secret = config.secretFromStdin()
                    ? Optional.of(ReplicaSecret.readLine(config.functionName(), System.in)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            logger.severe(() -> "invalid configuration: " + WatcherConfig.SECRET_FROM_STDIN + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        AtomicReference<Watcher> self = new AtomicReference<>();
        Watcher watcher = new Watcher(config, secret, reason -> {
            logger.severe(reason);
            drainAndExit(self.get(), HandlerThreads.EXIT_STUCK);
        });
        self.set(watcher);
        if (pool) {
            watcher.acceptLoads(new PooledLoad(env, config, watcher, status -> drainAndExit(watcher, status)));
        }
        try {
            watcher.start();
        } catch (IOException e) {
            logger.log(Level.SEVERE, e, () -> "function=" + config.functionName() + " cannot listen on "
                    + config.host() + ":" + config.port() + ": " + Statuses.describe(e));
            System.exit(1);
            return;
        }
        installStopTriggers(watcher, config);
        if (pool) {
            logger.info(() -> "function=" + config.functionName() + " waiting in the warm pool for a Load");
        } else {
            try {
                watcher.load();
            } catch (HandlerLoadException e) {
                logLoadFailure(config.functionName(), e);
                System.exit(3);
                return;
            }
        }
        watcher.awaitTermination();
    }

    /** The one line (with the cause's trace) that says why a replica could not load its handler. */
    static void logLoadFailure(String function, HandlerLoadException e) {
        logger.log(Level.SEVERE, e, () -> "function=" + function + " failed to start: " + e.getMessage());
    }

    /** Drains on a thread of its own, then exits with {@code status}; only the first request counts. */
    private static void drainAndExit(Watcher watcher, int status) {
        if (STOPPING.compareAndSet(false, true)) {
            Thread drainer = new Thread(() -> {
                watcher.close();
                System.exit(status);
            }, "dcf-drain");
            drainer.setDaemon(false); // created from daemon threads: keep the JVM up until the drain ends
            drainer.start();
        }
    }

    private static void installStopTriggers(Watcher watcher, WatcherConfig config) {
        Runnable drainAndExit = () -> drainAndExit(watcher, 0);
        // SIGTERM is handled here rather than in a shutdown hook alone: the JVM's own hooks
        // (java.util.logging's among them) would run alongside the drain, and the process would
        // exit 143. This way the drain logs, then the process exits 0.
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
                logger.info(() -> "function=" + config.functionName() + " received SIGTERM");
                drainAndExit.run();
            });
        } catch (IllegalArgumentException e) {
            logger.warning(() -> "cannot handle SIGTERM (" + e.getMessage() + "); relying on the shutdown hook");
        }
        // Every other way out (SIGINT, System.exit) still drains.
        Runtime.getRuntime().addShutdownHook(new Thread(watcher::close, "dcf-shutdown"));
        if (config.exitWithParent()) {
            Thread reader = new Thread(() -> {
                awaitEndOfInput(System.in);
                logger.info(() -> "function=" + config.functionName() + " standard input closed: parent is gone");
                drainAndExit.run();
            }, "dcf-parent-watch");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) != -1) {
                // the parent writes nothing we need: only the end of the stream matters
            }
        } catch (IOException e) {
            // a broken pipe is an end too
        }
    }

    private static void configureLogging() {
        LogManager.getLogManager().reset();
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLineFormatter());
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(console);
    }
}
