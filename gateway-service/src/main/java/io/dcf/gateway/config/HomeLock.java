package io.dcf.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Makes one gateway at a time own a DCF_HOME, and publishes its pid and port in
 * {@code gateway.pid} while it serves. Two guards: an OS file lock on {@code .lock}
 * (a POSIX lock, which the JVM drops if this process opens and closes the file anywhere
 * else: nothing else in the gateway may open it, see {@code LocalPathCopier}), and
 * {@code gateway.pid}: a home whose pid file names a live process started at the
 * recorded instant is served already, lock or no lock.
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
            Optional<GatewayPidFile> other = GatewayPidFile.read(home).filter(GatewayPidFile::writerAlive);
            if (other.isPresent()) {
                lock.release();
                channel.close();
                throw new IllegalStateException("another DCF gateway is using DCF_HOME " + home + " (pid "
                        + other.get().pid() + ", port " + other.get().port() + ", see " + home.resolve("gateway.pid")
                        + "); stop it with ./dcf down or choose another home");
            }
            return new HomeLock(home, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock DCF_HOME " + home, e);
        }
    }

    /** Writes {@code gateway.pid} (pid, port, start instant, instance id, home; properties format) atomically. */
    public void publish(int port) {
        GatewayPidFile.current(home, port).write(home);
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
