package io.dcf.gateway.config;

import com.linecorp.armeria.common.TlsKeyPair;
import com.linecorp.armeria.common.TlsProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS certificate and key (PEM files), read again when either file changes:
 * Armeria asks for the key pair every {@code interval}; the files are re-read only when
 * their modification times moved, and a pair that does not load (a half-written file)
 * keeps the previous one in service, with a warning.
 */
final class TlsFiles {

    private static final Logger log = LoggerFactory.getLogger(TlsFiles.class);

    private final Path cert;
    private final Path key;
    private List<FileTime> loadedTimes;
    private TlsKeyPair current;

    private TlsFiles(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    /** A provider serving {@code cert} and {@code key}; fails now, naming the file, when they cannot be loaded. */
    static TlsProvider provider(Path cert, Path key, Duration interval) {
        TlsFiles files = new TlsFiles(cert.toAbsolutePath(), key.toAbsolutePath());
        files.current = files.load();
        files.loadedTimes = files.times();
        log.info("Serving TLS with {} (reloaded when it or {} changes)", files.cert, files.key);
        return TlsProvider.ofScheduled(files::keyPair, interval);
    }

    private synchronized TlsKeyPair keyPair() {
        try {
            List<FileTime> times = times();
            if (!times.equals(loadedTimes)) {
                current = load();
                loadedTimes = times;
                log.info("Reloaded the TLS certificate {}", cert);
            }
        } catch (RuntimeException e) {
            log.warn("Keeping the current TLS certificate: {}", e.getMessage());
        }
        return current;
    }

    private TlsKeyPair load() {
        for (Path file : List.of(cert, key)) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("dcf.gateway.tls: cannot read " + file);
            }
        }
        try {
            return TlsKeyPair.of(key.toFile(), cert.toFile());
        } catch (RuntimeException e) {
            throw new IllegalStateException("dcf.gateway.tls: " + cert + " and " + key
                    + " are not a PEM certificate chain and its private key (" + e.getMessage() + ")", e);
        }
    }

    private List<FileTime> times() {
        try {
            return List.of(Files.getLastModifiedTime(cert), Files.getLastModifiedTime(key));
        } catch (IOException e) {
            throw new UncheckedIOException("dcf.gateway.tls: cannot read " + e.getMessage(), e);
        }
    }
}
