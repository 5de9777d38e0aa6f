package io.dcf.gateway.config;

import io.dcf.gateway.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes one gateway at a time own a DCF_HOME (an OS file lock on {@code .lock}), and
 * publishes its pid and port in {@code gateway.pid} while it serves.
 */
public final class HomeLock implements AutoCloseable {

    private final Path home;
    private final FileChannel channel;
    private final FileLock lock;

    private HomeLock(Path home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code home}; fails with a clear message when another gateway holds it. */
    public static HomeLock acquire(Path home) {
        try {
            Files.createDirectories(home);
            FileChannel channel = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another DCF gateway is using DCF_HOME " + home
                        + " (see " + home.resolve("gateway.pid") + "); stop it with ./dcf down or choose another home");
            }
            return new HomeLock(home, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock DCF_HOME " + home, e);
        }
    }

    /** Writes {@code gateway.pid} (pid and port, properties format) atomically. */
    public void publish(int port) {
        Path file = home.resolve("gateway.pid");
        String text = "pid=" + ProcessHandle.current().pid() + "\nport=" + port + "\n";
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes {@code gateway.pid} and releases the lock; later calls do nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        Files.deleteIfExists(home.resolve("gateway.pid"));
        lock.release();
        channel.close();
    }
}
