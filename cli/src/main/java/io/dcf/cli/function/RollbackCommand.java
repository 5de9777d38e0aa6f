package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.RollbackRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code dcf function rollback NAME [--to V]}. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Roll a function back to an earlier version (code, settings and model; the replica count "
                + "stays), one replica at a time. The rollback is recorded as a new version."},
        footerHeading = "%n", footer = {"Examples:", "  dcf function rollback scorer",
            "  dcf function rollback scorer --to 3", "  dcf function versions scorer"})
final class RollbackCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function.")
    private String name;

    @Option(names = "--to", paramLabel = "VERSION",
            description = "The version to go back to (see dcf function versions). Default: the one before the current.")
    private long to;

    @Mixin
    private GatewayOptions gateway;

    RollbackCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (to < 0) {
            throw CliException.usage("--to: " + to + " (expected: a version number, >= 1)");
        }
        cli.out().println("Rolling back " + name + (to > 0 ? " to version " + to : " to its previous version")
                + ", one replica at a time...");
        FunctionStatus status;
        try (GatewayClient client = gateway.connect(cli, null)) {
            // null: a NOT_FOUND may name a version, so the gateway's own message is shown
            status = client.call(null, GatewayClient.DEPLOY_DEADLINE,
                    stub -> stub.rollback(RollbackRequest.newBuilder().setName(name).setToVersion(to).build()));
        }
        cli.out().println("Rolled back: " + name + " now runs version " + status.getGeneration() + "; "
                + status.getReadyReplicas() + " of " + status.getReplicas() + " replicas ready");
        return ExitCode.OK;
    }
}
