package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.ScaleRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code dcf function scale NAME --replicas N}. */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Set the number of replicas of a function (0 stops them all but keeps the function).",
        footerHeading = "%n", footer = {"Example:", "  dcf function scale hello-dcf --replicas 3"})
final class ScaleCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function.")
    private String name;

    @Option(names = "--replicas", required = true, paramLabel = "N", description = "The wanted number of replicas, >= 0.")
    private int replicas;

    @Mixin
    private GatewayOptions gateway;

    ScaleCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (replicas < 0) {
            throw CliException.usage("--replicas: " + replicas + " (expected: >= 0)");
        }
        FunctionStatus status;
        try (GatewayClient client = gateway.connect(cli, null)) {
            status = client.call(name, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.scale(ScaleRequest.newBuilder().setName(name).setReplicas(replicas).build()));
        }
        cli.out().println("Scaled: " + name + " to " + status.getReplicas() + " replicas ("
                + status.getReadyReplicas() + " ready now)");
        return ExitCode.OK;
    }
}
