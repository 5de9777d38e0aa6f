package io.dcf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.registry.BlobCache.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's index on real files: LRU order, pinned entries, the bound, a restart. */
class BlobCacheTest {

    @TempDir
    Path dir;

    @Test
    void publishOverTheBound_evictsLeastRecentlyUsed_notTheOnesRecentlyRead() throws Exception {
        BlobCache cache = BlobCache.open(dir, 300, new ProxyMetrics());
        put(cache, "blobs/sha256/aa", 100);
        put(cache, "blobs/sha256/bb", 100);
        put(cache, "blobs/sha256/cc", 100);
        cache.acquire("blobs/sha256/aa").orElseThrow().release();

        put(cache, "blobs/sha256/dd", 100);

        assertThat(cache.contains("blobs/sha256/bb")).isFalse();
        assertThat(dir.resolve("blobs/sha256/bb")).doesNotExist();
        assertThat(cache.contains("blobs/sha256/aa")).isTrue();
        assertThat(cache.totalBytes()).isEqualTo(300);
    }

    @Test
    void pinnedEntries_surviveEviction_untilReleased() throws Exception {
        BlobCache cache = BlobCache.open(dir, 200, new ProxyMetrics());
        put(cache, "blobs/sha256/aa", 100);
        Lease readingA = cache.acquire("blobs/sha256/aa").orElseThrow();
        put(cache, "blobs/sha256/bb", 100);
        Lease readingB = cache.acquire("blobs/sha256/bb").orElseThrow();

        put(cache, "blobs/sha256/cc", 100);

        // Everything was pinned while cc was published: over the bound for now, every file readable.
        assertThat(cache.totalBytes()).isEqualTo(300);
        assertThat(Files.readAllBytes(readingA.file())).hasSize(100);
        assertThat(readingA.release()).as("over the bound: evict now").isTrue();
        cache.evict();
        assertThat(cache.contains("blobs/sha256/aa")).isFalse();
        assertThat(cache.contains("blobs/sha256/bb")).isTrue();
        assertThat(cache.totalBytes()).isEqualTo(200);
        assertThat(readingB.release()).isFalse();
    }

    @Test
    void reopen_indexesEntriesAndManifestTypes_dropsTemporaryFiles() throws Exception {
        BlobCache first = BlobCache.open(dir, 1000, new ProxyMetrics());
        put(first, "blobs/sha256/aa", 10);
        Path manifest = Files.write(first.newTempFile(), new byte[20]);
        first.publish("manifests/sha256/bb", manifest, "application/vnd.oci.image.manifest.v1+json").release();
        Path leftover = Files.write(first.newTempFile(), new byte[5]);

        BlobCache second = BlobCache.open(dir, 1000, new ProxyMetrics());

        assertThat(second.size()).isEqualTo(2);
        assertThat(second.totalBytes()).isEqualTo(30);
        assertThat(second.acquire("manifests/sha256/bb").orElseThrow().contentType())
                .isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(second.acquire("blobs/sha256/aa").orElseThrow().contentType()).isNull();
        assertThat(leftover).doesNotExist();
    }

    private static void put(BlobCache cache, String key, int size) throws Exception {
        Path tmp = Files.write(cache.newTempFile(), new byte[size]);
        cache.publish(key, tmp, null).release();
    }
}
