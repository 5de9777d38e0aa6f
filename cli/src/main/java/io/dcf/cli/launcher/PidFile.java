package io.dcf.cli.launcher;

import io.dcf.cli.CliException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code $DCF_HOME/gateway.pid}: written by the gateway once it serves (Java properties:
 * {@code pid}, {@code port}, the process's start instant {@code started}, a random
 * {@code instance} id, {@code home}), deleted on a clean exit. A crash or kill -9 leaves it
 * behind, and the OS may give its pid to another program: {@link #identify} tells the two apart.
 *
 * @param pid     the gateway's process id
 * @param port    its port
 * @param started its start instant as the JVM reports it ({@code ProcessHandle.Info.startInstant()}); empty
 *                in files written by older gateways
 */
public record PidFile(long pid, int port, String started) {

    /** Words one of which the gateway's command line holds: its jar, or its main package. */
    private static final String[] GATEWAY_MARKS = {"dcf-gateway", "io.dcf.gateway"};

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
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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
            return Optional.of(new PidFile(Long.parseLong(pid.trim()), Integer.parseInt(port.trim()),
                    p.getProperty("started", "").trim()));
        } catch (NumberFormatException e) {
            throw CliException.usage(file + " is malformed (pid=" + pid + ", port=" + port + ")");
        }
    }

    /**
     * The live process this file names when it is the gateway that wrote it; otherwise
     * empty with {@code why} saying what did not match (gone, started at another time,
     * not the gateway's command line).
     */
    Optional<ProcessHandle> identify(StringBuilder why) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            why.append("is gone");
            return Optional.empty();
        }
        ProcessHandle.Info info = handle.get().info();
        String actualStart = info.startInstant().map(Instant::toString).orElse("");
        if (!started.isEmpty() && !actualStart.isEmpty() && !started.equals(actualStart)) {
            why.append("belongs to another program now (started ").append(actualStart).append(", the gateway at ")
               .append(started).append(')');
            return Optional.empty();
        }
        Optional<String> commandLine = info.commandLine();
        if (commandLine.isPresent() && !isGateway(commandLine.get())) {
            why.append("belongs to another program now (").append(abbreviate(commandLine.get())).append(')');
            return Optional.empty();
        }
        return handle;
    }

    private static boolean isGateway(String commandLine) {
        for (String mark : GATEWAY_MARKS) {
            if (commandLine.contains(mark)) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
