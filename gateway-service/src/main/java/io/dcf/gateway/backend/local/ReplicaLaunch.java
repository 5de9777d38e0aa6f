package io.dcf.gateway.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a replica's process comes to be: started for it from its {@link ReplicaCommand} (a cold
 * start), or taken from the {@link WarmPool}. Either way its log gets a first line saying which,
 * and its output goes to the replica's log.
 */
final class ReplicaLaunch {

    /**
     * Replicas run in a session of their own (where setsid exists), so a Ctrl-C at the
     * terminal reaches the gateway, which drains and stops them, and not the replicas.
     */
    static final List<String> NEW_SESSION =
            Files.isExecutable(Path.of("/usr/bin/setsid")) ? List.of("/usr/bin/setsid") : List.of();

    /** A process, the secret it read on standard input (empty when secrets are off), and its output's pump. */
    record Launched(Process process, String secret, ReplicaLogPump log) {
    }

    private ReplicaLaunch() {
    }

    /**
     * Starts {@code command} in a session of its own, its output into {@code logFile} (after a line
     * {@code header}), its secret on its input; a replica's, or a pooled process's.
     */
    static Launched cold(ReplicaCommand command, Path logFile, Path portFile, LocalSettings settings, String header,
                         String logThread) throws IOException {
        Files.deleteIfExists(portFile);
        Files.createDirectories(portFile.getParent());
        header(logFile, header);
        List<String> commandLine = new ArrayList<>(NEW_SESSION);
        commandLine.addAll(command.command());
        ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(command.environment());
        WorkDirs.prepare(command.workDir(), settings.isolation());
        builder.directory(command.workDir().toFile());
        String secret = settings.isolation().secrets() ? ReplicaSecrets.generate() : "";
        Process started = builder.start();
        ReplicaLogPump pump = ReplicaLogPump.start(started, logFile, settings.logRotation(), logThread);
        if (!secret.isEmpty()) {
            ReplicaSecrets.send(started, secret);
        }
        return new Launched(started, secret, pump);
    }

    /** Takes {@code pooled} over: its output goes to {@code logFile} from now on. */
    static Launched warm(PooledProcess pooled, Path logFile, String header) {
        try {
            header(logFile, header);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ReplicaLaunch.class).warn("Cannot write {}: {}", logFile, e.getMessage());
        }
        pooled.log().redirect(logFile);
        return new Launched(pooled.process(), pooled.secret(), pooled.log());
    }

    private static void header(Path logFile, String text) throws IOException {
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, "---- " + Instant.now() + " " + text + " ----\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
