package io.dcf.gateway.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the gateway's token file when it changes, so a rotated token takes effect
 * without a restart. A file that cannot be read, or is empty, keeps the current token
 * (with one warning per change): a half-written file never locks everyone out.
 */
public final class TokenFileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TokenFileWatcher.class);

    private final Path file;
    private final Authenticator authenticator;
    private final ScheduledExecutorService executor;
    private FileTime loaded;

    private TokenFileWatcher(Path file, Authenticator authenticator, ScheduledExecutorService executor) {
        this.file = file;
        this.authenticator = authenticator;
        this.executor = executor;
    }

    /** Checks {@code file} every {@code interval}; a new token there replaces {@code authenticator}'s. */
    public static TokenFileWatcher start(Path file, Duration interval, Authenticator authenticator) {
        requireNonNull(file, "file");
        requireNonNull(authenticator, "authenticator");
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dcf-token-watcher");
            t.setDaemon(true);
            return t;
        });
        TokenFileWatcher watcher = new TokenFileWatcher(file, authenticator, executor);
        watcher.loaded = watcher.modified();
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(watcher::check, millis, millis, TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** A watcher that watches nothing (the token is not in a file, or authentication is off). */
    public static TokenFileWatcher none() {
        return new TokenFileWatcher(null, null, null);
    }

    private void check() {
        try {
            FileTime now = modified();
            if (now != null && !now.equals(loaded)) {
                loaded = now; // a broken file is reported once, not at every check
                GatewayToken token = TokenFiles.read(file);
                if (authenticator.rotate(token)) {
                    log.info("Loaded a new gateway token from {} (id {}); the previous one no longer works",
                            file, token.id());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Keeping the current gateway token: {}", e.getMessage());
        }
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            log.warn("Keeping the current gateway token: cannot read {} ({})", file, e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
