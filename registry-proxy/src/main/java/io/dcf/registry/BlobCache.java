package io.dcf.registry;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified content on disk, addressed by digest: {@code <dir>/blobs/sha256/<hex>} and
 * {@code <dir>/manifests/sha256/<hex>} (with the manifest's media type beside it in
 * {@code <hex>.type}). A file appears only by an atomic rename of a verified temporary file,
 * so a reader never sees partial or unverified bytes. The total size is bounded: publishing
 * evicts the least recently used entries that no response is reading at the moment.
 *
 * <p>Index operations are in memory and quick ({@link #acquire} may run on an event loop);
 * {@link #publish} and eviction touch the disk and run on a blocking executor.
 */
final class BlobCache {

    private static final Logger log = LoggerFactory.getLogger(BlobCache.class);

    private final Path dir;
    private final Path tmp;
    private final long maxBytes;
    private final ProxyMetrics metrics;
    /** Access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long totalBytes;

    private BlobCache(Path dir, long maxBytes, ProxyMetrics metrics) {
        this.dir = dir;
        this.tmp = dir.resolve("tmp");
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    /** Opens (or creates) the cache in {@code dir}: drops left-over temporary files, indexes entries oldest first. */
    static BlobCache open(Path dir, long maxBytes, ProxyMetrics metrics) throws IOException {
        requireNonNull(dir, "dir");
        BlobCache cache = new BlobCache(dir, maxBytes, requireNonNull(metrics, "metrics"));
        cache.load();
        Gauge.builder(ProxyMetrics.PREFIX + "cache.size.bytes", cache, BlobCache::totalBytes).register(metrics.registry());
        Gauge.builder(ProxyMetrics.PREFIX + "cache.entries", cache, BlobCache::size).register(metrics.registry());
        return cache;
    }

    long maxBytes() {
        return maxBytes;
    }

    synchronized long totalBytes() {
        return totalBytes;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The entry under {@code key}, marked most recently used and pinned until the lease is released. */
    synchronized Optional<Lease> acquire(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        entry.readers++;
        return Optional.of(new Lease(key, entry));
    }

    /** A new empty temporary file for content on its way in. */
    Path newTempFile() throws IOException {
        return Files.createFile(tmp.resolve(UUID.randomUUID().toString()));
    }

    /**
     * Moves the verified {@code file} in under {@code key} (the caller has checked its digest),
     * then evicts down to the bound. Blocking: call it on a blocking executor.
     */
    Lease publish(String key, Path file, String contentType) throws IOException {
        long size = Files.size(file);
        Path target = dir.resolve(key);
        Files.createDirectories(target.getParent());
        if (contentType != null) {
            Files.writeString(typeFile(target), contentType, StandardCharsets.UTF_8);
        }
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        Lease lease;
        synchronized (this) {
            Entry old = entries.remove(key);
            if (old != null) {
                totalBytes -= old.size;
            }
            Entry entry = new Entry(target, size, contentType);
            entries.put(key, entry);
            totalBytes += size;
            entry.readers++;
            lease = new Lease(key, entry);
        }
        evict();
        return lease;
    }

    /** Deletes least recently used, unpinned entries while the total is over the bound. Blocking. */
    void evict() {
        List<Entry> victims = new ArrayList<>();
        synchronized (this) {
            Iterator<Entry> it = entries.values().iterator();
            while (totalBytes > maxBytes && it.hasNext()) {
                Entry entry = it.next();
                if (entry.readers == 0) {
                    it.remove();
                    totalBytes -= entry.size;
                    victims.add(entry);
                }
            }
        }
        for (Entry victim : victims) {
            try {
                Files.deleteIfExists(victim.file);
                Files.deleteIfExists(typeFile(victim.file));
                metrics.eviction();
                log.debug("Evicted {} ({} bytes)", victim.file.getFileName(), victim.size);
            } catch (IOException e) {
                log.warn("Could not delete evicted cache file {}: {}", victim.file, e.toString());
            }
        }
    }

    private synchronized boolean release(Entry entry) {
        entry.readers--;
        return totalBytes > maxBytes;
    }

    private void load() throws IOException {
        Files.createDirectories(tmp);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path file : leftovers) {
                Files.deleteIfExists(file);
            }
        }
        List<Entry> found = new ArrayList<>();
        for (String kind : List.of("blobs", "manifests")) {
            Path files = dir.resolve(kind).resolve("sha256");
            if (!Files.isDirectory(files)) {
                continue;
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(files, "[0-9a-f]*")) {
                for (Path file : stream) {
                    if (file.getFileName().toString().endsWith(".type")) {
                        continue;
                    }
                    String type = Files.exists(typeFile(file)) ? Files.readString(typeFile(file)) : null;
                    if (kind.equals("manifests") && type == null) {
                        Files.delete(file);
                        continue;
                    }
                    found.add(new Entry(file, Files.size(file), type));
                }
            }
        }
        found.sort(Comparator.comparing(BlobCache::modified));
        synchronized (this) {
            for (Entry entry : found) {
                entries.put(dir.relativize(entry.file).toString(), entry);
                totalBytes += entry.size;
            }
        }
        evict();
        log.info("Blob cache in {}: {} entries, {} of at most {} bytes", dir, size(), totalBytes(), maxBytes);
    }

    private static FileTime modified(Entry entry) {
        try {
            return Files.getLastModifiedTime(entry.file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path typeFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".type");
    }

    private static final class Entry {
        final Path file;
        final long size;
        final String contentType;
        int readers;

        Entry(Path file, long size, String contentType) {
            this.file = file;
            this.size = size;
            this.contentType = contentType;
        }
    }

    /** A pinned entry: its file is not evicted until {@link #release()}. */
    final class Lease {
        private final String key;
        private final Entry entry;
        private boolean closed;

        private Lease(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        String key() {
            return key;
        }

        Path file() {
            return entry.file;
        }

        long size() {
            return entry.size;
        }

        /** The manifest's media type, or null for a blob. */
        String contentType() {
            return entry.contentType;
        }

        /** Unpins the entry; true when the cache is over its bound and should {@link #evict()}. */
        boolean release() {
            synchronized (BlobCache.this) {
                if (closed) {
                    return false;
                }
                closed = true;
            }
            return BlobCache.this.release(entry);
        }
    }
}
