package io.dcf.cli.launcher;

import io.dcf.cli.BearerToken;
import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayAddress;
import io.dcf.cli.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code dcf up}: the gateway in local mode as a child process, plus the hello-java example. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a local DCF gateway (HTTP and gRPC on one port, functions as child processes) "
                + "and deploy the hello-java example. Ctrl-C stops the gateway and every function.",
        footerHeading = "%n",
        footer = {"Examples:",
            "  ./dcf up",
            "  ./dcf up --detach && ./dcf function list && ./dcf down",
            "  ./dcf up --port 8080 --home /tmp/dcf --no-examples",
            "", "The gateway's output goes to <home>/logs/gateway.log."})
public final class UpCommand implements Callable<Integer> {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Cli cli;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "31113",
            description = "The port for HTTP and gRPC (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Where the gateway keeps functions and logs. Default: env DCF_HOME, else ~/.dcf.")
    private Path home;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the gateway to serve, and again for the example to deploy."
                    + " Default: ${DEFAULT-VALUE}.")
    private int waitSeconds;

    @Option(names = "--detach", description = "Return once the gateway is up, leaving it running (stop it with ./dcf down).")
    private boolean detach;

    @Option(names = "--no-examples", description = "Do not deploy the hello-java example.")
    private boolean noExamples;

    @Option(names = "--jvm-cache", paramLabel = "auto|off", defaultValue = "auto",
            description = "The gateway JVM's start-up archive in <home>/cache (an AOT cache with profiles on JDK 25+,"
                    + " a CDS archive before): auto uses it, or has the gateway record it when it exits if there is"
                    + " none for this jar and JVM yet; off starts without. Default: ${DEFAULT-VALUE}.")
    private String jvmCache;

    UpCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dcfHome = home != null ? cli.cwd().resolve(home).normalize() : cli.home();
        Path repo = cli.repo();
        Duration startLimit = startLimit();
        Optional<StartupArchive> archive = startupArchive(repo, dcfHome);
        if (port != 0 && GatewayProcess.answers(port, Duration.ofSeconds(2))) {
            checkServes(dcfHome, port);
            cli.out().println("The DCF gateway of DCF_HOME " + dcfHome + " already answers on 127.0.0.1:" + port
                    + "; reusing it.");
            boolean deployed = deployExample(repo, port, dcfHome);
            banner(cli.out(), port, dcfHome, "./dcf down", deployed);
            return ExitCode.OK;
        }
        checkNotServedElsewhere(dcfHome, port);
        List<String> notices = new ArrayList<>();
        List<String> jvmOptions = archiveOptions(archive, notices);
        GatewayProcess gateway = GatewayProcess.start(repo, dcfHome, port, detach, jvmOptions, List.of());
        notices.forEach(n -> notice(gateway, n));
        Thread hook = new Thread(() -> gateway.stop(STOP_GRACE), "dcf-up-shutdown");
        if (!detach) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        int actualPort;
        boolean deployed;
        try {
            actualPort = gateway.awaitServing(startLimit);
            if (!jvmOptions.isEmpty()) {
                archive.get().checkUsed(gateway.process().pid(), n -> notice(gateway, n),
                        n -> gateway.note("dcf up: " + n));
            }
            deployed = deployExample(repo, actualPort, dcfHome);
        } catch (CliException | InterruptedException e) {
            gateway.stop(STOP_GRACE);
            throw e;
        }
        banner(cli.out(), actualPort, dcfHome, detach ? "./dcf down" : "Ctrl-C (or ./dcf down)", deployed);
        cli.out().flush();
        if (detach) {
            return ExitCode.OK;
        }
        int status = gateway.process().waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook is stopping the gateway
        }
        if (status != 0 && status != 128 + 2 && status != 128 + 15) { // 130, 143: stopped by SIGINT, SIGTERM
            throw CliException.gateway("the DCF gateway exited with status " + status + "; see " + gateway.log());
        }
        cli.out().println("DCF gateway stopped.");
        return ExitCode.OK;
    }

    /** Deploys the example unless told not to or a function of its name exists; true when it deployed. */
    private boolean deployExample(Path repo, int actualPort, Path dcfHome) throws InterruptedException {
        if (noExamples) {
            return false;
        }
        try (GatewayClient client = GatewayClient.connect(new GatewayAddress("127.0.0.1", actualPort, "dcf up"),
                BearerToken.local(dcfHome))) {
            return ExampleDeployer.deployIfAbsent(client, repo, startLimit());
        }
    }

    /**
     * Refuses a port held by another home's gateway: its functions are not this home's.
     * This home's gateway is the one its {@code gateway.pid} names on that port, still alive.
     */
    private static void checkServes(Path dcfHome, int port) {
        boolean ours = PidFile.read(dcfHome).filter(p -> p.port() == port)
                .flatMap(p -> p.identify(new StringBuilder())).isPresent();
        if (!ours) {
            throw CliException.gateway("port " + port + " is held by another DCF gateway, not by the one of DCF_HOME "
                    + dcfHome + " (" + PidFile.path(dcfHome) + " does not name it); stop that gateway with"
                    + " ./dcf down --home <its home>, or start this home's gateway on another port with --port");
        }
    }

    /** Refuses to start a second gateway for a home whose gateway runs on another port. */
    private static void checkNotServedElsewhere(Path dcfHome, int port) {
        PidFile.read(dcfHome).filter(p -> p.port() != port).filter(p -> p.identify(new StringBuilder()).isPresent())
               .ifPresent(p -> {
                   throw CliException.gateway("the DCF gateway of DCF_HOME " + dcfHome + " already runs on port "
                           + p.port() + " (pid " + p.pid() + "); use --port " + p.port() + ", or stop it with ./dcf down");
               });
    }

    private void banner(PrintStream out, int actualPort, Path dcfHome, String stop, boolean deployed) {
        out.println("DCF is up: gateway http+grpc on 127.0.0.1:" + actualPort + " (local mode, DCF_HOME=" + dcfHome + ")");
        if (!noExamples) {
            out.println(deployed ? "Function " + ExampleDeployer.NAME + " is ready. Try:"
                    : "Function " + ExampleDeployer.NAME + " exists already: left as it is (not replaced by the"
                      + " example; ./dcf function delete " + ExampleDeployer.NAME + " brings the example back). Try:");
            out.println("  curl --data-binary 'Hello, DCF!' localhost:" + actualPort + "/function/" + ExampleDeployer.NAME);
            String gatewayFlag = actualPort == GatewayAddress.DEFAULT_PORT ? "" : " --gateway localhost:" + actualPort;
            out.println("  echo 'Hello, DCF!' | ./dcf function call " + ExampleDeployer.NAME + gatewayFlag);
        }
        Path token = dcfHome.resolve(BearerToken.HOME_FILE);
        out.println("Management token: " + token + " (the dcf CLI reads it by itself; curl to /system/... needs"
                + " -H \"Authorization: Bearer $(cat " + token + ")\")");
        out.println("Logs: " + dcfHome.resolve("logs").resolve("gateway.log") + "   Stop: " + stop);
    }

    /** The start-up archive for the gateway jar and this JVM, unless --jvm-cache off. */
    private Optional<StartupArchive> startupArchive(Path repo, Path dcfHome) {
        switch (jvmCache) {
            case "off":
                return Optional.empty();
            case "auto":
                Path jar = GatewayProcess.gatewayJar(repo);
                if (!Files.isRegularFile(jar)) {
                    return Optional.empty(); // GatewayProcess.start says what is missing
                }
                try {
                    return Optional.of(StartupArchive.of(dcfHome.resolve("cache"), GatewayProcess.java(),
                            Runtime.version().feature(), System.getProperty("java.vm.version"), jar));
                } catch (IOException | RuntimeException e) {
                    cli.err().println("dcf up: starting without a start-up archive: " + e.getMessage());
                    return Optional.empty();
                }
            default:
                throw new CliException(ExitCode.USAGE, "--jvm-cache: " + jvmCache + " (expected: auto or off)");
        }
    }

    /** The gateway JVM's options for the archive; none (and a notice) if the cache cannot be read or written. */
    private static List<String> archiveOptions(Optional<StartupArchive> archive, List<String> notices) {
        try {
            return archive.isPresent() ? archive.get().jvmOptions(notices::add) : List.of();
        } catch (IOException | RuntimeException e) {
            notices.add("starting without a start-up archive: " + e.getMessage());
            return List.of();
        }
    }

    /** A line about the start-up archive: on stderr and in gateway.log. */
    private void notice(GatewayProcess gateway, String line) {
        cli.err().println("dcf up: " + line);
        gateway.note("dcf up: " + line);
    }

    private Duration startLimit() {
        if (waitSeconds < 1) {
            throw new CliException(ExitCode.USAGE, "--wait: " + waitSeconds + " (expected: at least 1 second)");
        }
        return Duration.ofSeconds(waitSeconds);
    }
}
