package io.dcf.cli.launcher;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code dcf down}: stops the gateway named by {@code <home>/gateway.pid}, after checking
 * that the process with that pid is still that gateway (a stale file's pid may be anyone's).
 */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the local DCF gateway started by 'dcf up' (SIGTERM; SIGKILL after 30 s, or 120 s while it records its start-up archive). "
                + "Its functions stop with it and come back on the next 'dcf up'.",
        footerHeading = "%n", footer = {"Examples:", "  ./dcf down", "  ./dcf down --home /tmp/dcf"})
public final class DownCommand implements java.util.concurrent.Callable<Integer> {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Cli cli;

    @Option(names = "--home", paramLabel = "DIR", description = "The gateway's home. Default: env DCF_HOME, else ~/.dcf.")
    private Path home;

    DownCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dcfHome = home != null ? cli.cwd().resolve(home).normalize() : cli.home();
        Path file = PidFile.path(dcfHome);
        Optional<PidFile> pid = PidFile.read(dcfHome);
        if (pid.isEmpty()) {
            cli.out().println("No DCF gateway is running (no " + file + ").");
            return ExitCode.OK;
        }
        StringBuilder why = new StringBuilder();
        Optional<ProcessHandle> handle = pid.get().identify(why);
        if (handle.isEmpty()) {
            Files.deleteIfExists(file);
            cli.out().println("No DCF gateway is running (pid " + pid.get().pid() + " in " + file
                    + " " + why + "; removed the stale file, signalled nothing).");
            return ExitCode.OK;
        }
        ProcessHandle process = handle.get();
        if (!process.destroy()) {
            throw CliException.gateway("cannot stop pid " + process.pid() + " (not permitted?)");
        }
        if (!awaitExit(process, StartupArchive.stopGrace(process, STOP_GRACE))) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(5));
        }
        cli.out().println("DCF gateway (pid " + process.pid() + ") stopped.");
        return ExitCode.OK;
    }

    private static boolean awaitExit(ProcessHandle process, Duration limit) throws InterruptedException {
        try {
            process.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }
}
