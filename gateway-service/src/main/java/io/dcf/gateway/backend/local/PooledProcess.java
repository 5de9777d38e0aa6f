package io.dcf.gateway.backend.local;

import java.nio.file.Path;
import java.util.List;

/**
 * One generic watcher process of the {@link WarmPool}, started ahead with {@code DCF_POOL=true}
 * and waiting for the Load that makes it a replica of one function (and of no other, ever).
 */
final class PooledProcess {

    private final String name;
    private final Process process;
    private final String secret;
    private final ReplicaLogPump log;
    private final Path workDir;
    private final List<String> command;
    private volatile int port;
    private volatile boolean taken;

    PooledProcess(String name, Process process, String secret, ReplicaLogPump log, Path workDir, List<String> command) {
        this.name = name;
        this.process = process;
        this.secret = secret;
        this.log = log;
        this.workDir = workDir;
        this.command = List.copyOf(command);
    }

    /** {@code pool-<runtime>-<n>}: its name in its own messages until its Load. */
    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    /** The replica secret it read on standard input; empty when secrets are off. */
    String secret() {
        return secret;
    }

    /** Its output's pump: a replica that takes it redirects it to the function's log. */
    ReplicaLogPump log() {
        return log;
    }

    /** Its working directory (HOME, TMPDIR), removed when it exits. */
    Path workDir() {
        return workDir;
    }

    /** Its command line after its mount namespace's words: a replica takes it only when a cold start would run the same. */
    List<String> command() {
        return command;
    }

    /** Its port, once its port file said it (0 before). */
    int port() {
        return port;
    }

    void port(int port) {
        this.port = port;
    }

    /** Whether a replica took it (it is then the replica's, not the pool's). */
    boolean taken() {
        return taken;
    }

    void take() {
        taken = true;
    }

    @Override
    public String toString() {
        return name + " pid=" + process.pid();
    }
}
