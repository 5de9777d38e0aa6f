package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.v1.LogLine;
import io.dcf.proto.v1.LogsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Callable;

/** {@code dcf function logs NAME [-f] [--tail N]}. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print a function's log lines (every replica); with -f, keep printing new lines until Ctrl-C.",
        footerHeading = "%n",
        footer = {"Examples:", "  dcf function logs hello-dcf --tail 20", "  dcf function logs hello-dcf -f --prefix"})
final class LogsCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function.")
    private String name;

    @Option(names = {"-f", "--follow"}, description = "Keep the stream open and print new lines as they come.")
    private boolean follow;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "0",
            description = "Print only the last N lines of each replica first (0: all). Default: ${DEFAULT-VALUE}.")
    private int tail;

    @Option(names = "--prefix", description = "Prefix each line with its replica, as [replica N].")
    private boolean prefix;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Stop after this long. Default: 30s, or 24h with --follow.")
    private String timeout;

    @Mixin
    private GatewayOptions gateway;

    LogsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (tail < 0) {
            throw CliException.usage("--tail: " + tail + " (expected: >= 0)");
        }
        Duration deadline = timeout != null ? Args.duration(timeout, "--timeout")
                : follow ? Duration.ofHours(24) : Duration.ofSeconds(30);
        LogsRequest request = LogsRequest.newBuilder().setName(name).setFollow(follow).setTail(tail).build();
        try (GatewayClient client = gateway.connect(cli, null)) {
            client.call(name, deadline, stub -> {
                Iterator<LogLine> lines = stub.logs(request);
                while (lines.hasNext()) {
                    LogLine line = lines.next();
                    cli.out().println(prefix ? "[replica " + FunctionStatuses.replicaLabel(line.getReplica(), line.getReplicaName()) + "] " + line.getLine() : line.getLine());
                    cli.out().flush();
                }
                return null;
            });
        }
        return ExitCode.OK;
    }
}
