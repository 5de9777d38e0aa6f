package io.dcf.cli.launcher;

import io.dcf.cli.CliException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code $DCF_HOME/gateway.pid}: written by the gateway once it serves ({@code pid=} and
 * {@code port=}, Java properties format), deleted on a clean exit.
 */
public record PidFile(long pid, int port) {

    public static Path path(Path home) {
        return home.resolve("gateway.pid");
    }

    /** The file's content; empty when there is no file (or it is being written). */
    public static Optional<PidFile> read(Path home) {
        Path file = path(home);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(reader);
        } catch (IOException e) {
            return Optional.empty();
        }
        String pid = p.getProperty("pid");
        String port = p.getProperty("port");
        if (pid == null || port == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PidFile(Long.parseLong(pid.trim()), Integer.parseInt(port.trim())));
        } catch (NumberFormatException e) {
            throw CliException.usage(file + " is malformed (pid=" + pid + ", port=" + port + ")");
        }
    }
}
