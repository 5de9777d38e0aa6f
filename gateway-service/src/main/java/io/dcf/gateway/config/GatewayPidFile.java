package io.dcf.gateway.config;

import io.dcf.common.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code $DCF_HOME/gateway.pid} (Java properties): {@code pid}, {@code port}, the process's
 * start time {@code started} (so a reused pid is told apart from the gateway that wrote
 * the file), a random {@code instance} id and the {@code home} it serves. The CLI's
 * {@code dcf down} reads the same keys.
 *
 * @param pid      the gateway's process id
 * @param port     the port it serves on
 * @param started  the process's start instant as the OS reports it, empty when unknown
 * @param instance a random id of this gateway run
 * @param home     the DCF_HOME it serves
 */
record GatewayPidFile(long pid, int port, String started, String instance, String home) {

    static final String NAME = "gateway.pid";

    /** The entry for this process serving {@code home} on {@code port}. */
    static GatewayPidFile current(Path home, int port) {
        ProcessHandle self = ProcessHandle.current();
        return new GatewayPidFile(self.pid(), port, startOf(self), UUID.randomUUID().toString(), home.toString());
    }

    /** The process's start instant as text, empty when the OS does not say. */
    static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse("");
    }

    /** Reads {@code home}'s pid file; empty when absent or unreadable (a crashed writer). */
    static Optional<GatewayPidFile> read(Path home) {
        Path file = home.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
            return Optional.of(new GatewayPidFile(Long.parseLong(p.getProperty("pid", "").trim()),
                    Integer.parseInt(p.getProperty("port", "0").trim()), p.getProperty("started", ""),
                    p.getProperty("instance", ""), p.getProperty("home", "")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the file atomically. */
    void write(Path home) {
        Path file = home.resolve(NAME);
        String text = "pid=" + pid + "\nport=" + port + "\nstarted=" + started + "\ninstance=" + instance
                + "\nhome=" + home.toString().replace("\\", "\\\\") + "\n";
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * True when the process this file names is still the one that wrote it: alive, and
     * started at the recorded instant (a pid reused by another program does not match).
     */
    boolean writerAlive() {
        return !started.isEmpty() && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(GatewayPidFile::startOf).filter(started::equals).isPresent();
    }
}
