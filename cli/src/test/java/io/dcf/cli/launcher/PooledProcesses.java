package io.dcf.cli.launcher;

import io.dcf.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway's warm pool seen from outside, as a user would look for it: descendants of the
 * gateway process whose working directory is {@code DCF_HOME/pool/pool-<runtime>-<n>} with its
 * port file written (listening). A replica that took a pooled process keeps that working
 * directory, so the waiting ones are those that are not one of the functions' replicas.
 */
final class PooledProcesses {

    private static final Pattern PID = Pattern.compile("\"pid\": ?\"?(\\d+)\"?");

    private PooledProcesses() {
    }

    /** The pids of {@code runtime}'s ({@code java}, {@code python}) pooled processes waiting for a function. */
    static List<Long> waiting(Path home, long gatewayPid, String runtime, Collection<Long> replicaPids) {
        Path pool = home.resolve("pool");
        try (Stream<ProcessHandle> all = ProcessHandle.of(gatewayPid).stream().flatMap(ProcessHandle::descendants)) {
            return all.filter(ProcessHandle::isAlive).filter(p -> {
                try {
                    Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
                    return pool.equals(cwd.getParent())
                            && cwd.getFileName().toString().startsWith("pool-" + runtime + "-")
                            && Files.exists(cwd.resolve("port"));
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // gone meanwhile
                }
            }).map(ProcessHandle::pid).filter(pid -> !replicaPids.contains(pid)).toList();
        }
    }

    /** The replica pids {@code dcf function info <function> -o json} lists. */
    static List<Long> replicaPids(CliRunner cli, String function, String port) {
        CliRunner.Result info = cli.run("function", "info", function, "-o", "json", "--gateway", "localhost:" + port);
        if (info.code() != 0) {
            throw new AssertionError(info.toString());
        }
        List<Long> pids = new ArrayList<>();
        for (Matcher m = PID.matcher(info.out()); m.find(); ) {
            long pid = Long.parseLong(m.group(1));
            if (pid > 0) {
                pids.add(pid);
            }
        }
        return pids;
    }
}
