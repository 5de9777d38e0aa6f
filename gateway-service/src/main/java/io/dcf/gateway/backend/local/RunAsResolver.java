package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.local.ReplicaIsolation.RunAs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Decides {@link ReplicaIsolation} from {@code dcf.gateway.local.run-as}: {@code auto} (the
 * default) runs replicas as {@code nobody} when the gateway is root and that user can reach
 * everything a replica needs, else as the gateway's user with a warning; {@code none} keeps
 * the gateway's user; a user name insists on that user and fails the start when it cannot work.
 */
public final class RunAsResolver {

    static final String AUTO_USER = "nobody";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path PASSWD = Path.of("/etc/passwd");
    /** /etc/passwd larger than this is not read. */
    private static final long MAX_PASSWD_BYTES = 4 << 20;

    private RunAsResolver() {
    }

    /**
     * @param setting   the configured value: {@code auto}, {@code none} or a user name
     * @param env       the gateway's environment
     * @param uid       the gateway's user id
     * @param home      DCF_HOME
     * @param mustReach what else replicas read: the watcher jar, the runtimes, java
     * @throws IllegalStateException when a named user cannot be used, saying why
     */
    public static ReplicaIsolation resolve(String setting, Map<String, String> env, long uid, Path home,
                                           List<Path> mustReach) {
        String value = setting == null ? "auto" : setting.strip();
        if (value.isEmpty() || value.equals("none")) {
            return ReplicaIsolation.sameUser(env, "replicas run as the gateway's user (run-as=none)");
        }
        boolean auto = value.equals("auto");
        String user = auto ? AUTO_USER : value;
        if (uid != 0) {
            if (auto) {
                Optional<ReplicaIsolation.Hidden> hidden = Files.isExecutable(SETPRIV)
                        && mustReach.stream().noneMatch(p -> p.startsWith(home)) && namespacesWork(home, true)
                        ? Optional.of(new ReplicaIsolation.Hidden(home, true)) : Optional.empty();
                return new ReplicaIsolation(Optional.empty(), ReplicaIsolation.inheritedFrom(env),
                        "replicas run as the gateway's user (uid " + uid + "; only a gateway running as root can start"
                        + " them as another user)" + hidden.map(h -> ", each in user and mount namespaces where "
                        + h.top() + " holds only its own function").orElse(", seeing all of " + home
                        + " (this system gives no unprivileged user namespaces)"), false, true, hidden);
            }
            throw new IllegalStateException("dcf.gateway.local.run-as: " + value
                    + " needs a gateway running as root (this one runs as uid " + uid + "); set it to auto or none");
        }
        Optional<String> problem = Optional.empty();
        Optional<RunAs> runAs = lookUp(user);
        if (!Files.isExecutable(SETPRIV)) {
            problem = Optional.of(SETPRIV + " (util-linux) is missing");
        } else if (runAs.isEmpty()) {
            problem = Optional.of("user " + user + " is not in " + PASSWD);
        }
        Optional<Path> hidden = Optional.empty();
        if (problem.isEmpty()) {
            hidden = hiddenRoot(home).filter(top -> mustReach.stream().noneMatch(p -> p.startsWith(top)))
                    .filter(top -> namespacesWork(top, false));
            List<Path> reach = new java.util.ArrayList<>(mustReach);
            if (hidden.isEmpty()) {
                reach.add(0, home); // without a namespace, nobody must reach the home itself
            }
            problem = unreachable(runAs.get(), reach).map(path -> "user " + user + " cannot read " + path
                    + " (make it and its parent directories readable and searchable by others, or move DCF_HOME)");
        }
        if (problem.isEmpty()) {
            RunAs r = runAs.orElseThrow();
            String where = hidden.map(top -> "; each in a mount namespace where " + top
                    + " holds only its own function").orElse("");
            return new ReplicaIsolation(runAs, ReplicaIsolation.inheritedFrom(env),
                    "replicas run as user " + r.user() + " (uid " + r.uid() + ") without capabilities" + where,
                    false, true, hidden.map(top -> new ReplicaIsolation.Hidden(top, false)));
        }
        if (auto) {
            return ReplicaIsolation.rootFallback(env, "replicas run as root because " + problem.get()
                    + "; see docs/operations.md, 'Isolation of local replicas'");
        }
        throw new IllegalStateException("dcf.gateway.local.run-as: " + value + " cannot be used: " + problem.get());
    }

    /**
     * What a replica's mount namespace hides: the topmost of DCF_HOME and its ancestors that
     * others cannot search (so nobody reaches its function through it), else DCF_HOME itself;
     * empty when the permissions cannot be read. Whether namespaces work here is asked apart.
     */
    static Optional<Path> hiddenRoot(Path home) {
        Path top = home;
        for (Path p = home; p != null && p.getParent() != null; p = p.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    top = p;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.empty();
            }
        }
        return Optional.of(top);
    }

    /** Whether this system lets us mount a tmpfs over {@code top} in a new mount (and user) namespace. */
    private static boolean namespacesWork(Path top, boolean userNamespace) {
        if (!Files.isExecutable(Path.of(ReplicaIsolation.UNSHARE))) {
            return false;
        }
        List<String> command = new ArrayList<>(List.of(ReplicaIsolation.UNSHARE));
        command.addAll(new ReplicaIsolation.Hidden(top, userNamespace).unshareOptions());
        command.addAll(List.of("--", "/bin/sh", "-c", "mount -t tmpfs -o size=4k dcf-probe \"$1\"", "sh",
                top.toString()));
        try {
            return probe(command).map(result -> result.exit() == 0).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** The user's uid and primary gid from /etc/passwd; empty when absent or root. */
    static Optional<RunAs> lookUp(String user) {
        try {
            if (!Files.isRegularFile(PASSWD) || Files.size(PASSWD) > MAX_PASSWD_BYTES) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(PASSWD, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4 && fields[0].equals(user)) {
                    int uid = Integer.parseInt(fields[2]);
                    int gid = Integer.parseInt(fields[3]);
                    return uid > 0 ? Optional.of(new RunAs(user, uid, gid, SETPRIV.toString())) : Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The first of {@code paths} the user cannot read (or search, for a directory), asked of the OS itself. */
    static Optional<Path> unreachable(RunAs runAs, List<Path> paths) {
        List<String> command = new ArrayList<>(runAs.prefix());
        command.addAll(List.of("/bin/sh", "-c",
                "for p do if [ -d \"$p\" ]; then [ -r \"$p\" ] && [ -x \"$p\" ]; else [ -r \"$p\" ]; fi"
                + " || { printf '%s' \"$p\"; exit 1; }; done", "sh"));
        paths.forEach(p -> command.add(p.toString()));
        try {
            return probe(command).map(result -> result.exit() == 0 ? Optional.<Path>empty()
                    : Optional.of(result.output().isEmpty() ? paths.get(0) : Path.of(result.output())))
                    .orElse(Optional.of(paths.get(0)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + runAs.setpriv(), e);
        }
    }

    private record ProbeResult(int exit, String output) {
    }

    /**
     * Runs a short check (standard input closed, output merged) for up to 10 s: its exit status
     * and the start of its output, or empty when it ran out of time (then killed) or was interrupted.
     */
    private static Optional<ProbeResult> probe(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        String out = new String(process.getInputStream().readNBytes(8192), StandardCharsets.UTF_8).strip();
        return Optional.of(new ProbeResult(process.exitValue(), out));
    }
}
