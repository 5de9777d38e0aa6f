package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.v1.ListReply;
import io.dcf.proto.v1.ListRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code dcf function list}. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List the deployed functions: Function, Image, Maintainer, Invocations, Replicas, "
                + "Status (Ready when a replica is ready, else Not Ready), Description.",
        footerHeading = "%n",
        footer = {"Examples:", "  dcf function list", "  dcf function list -o json"})
final class ListCommand implements Callable<Integer> {

    private final Cli cli;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private OutputFormat output;

    @Mixin
    private GatewayOptions gateway;

    ListCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        ListReply reply;
        try (GatewayClient client = gateway.connect(cli, null)) {
            reply = client.call(null, GatewayClient.DEFAULT_DEADLINE, stub -> stub.list(ListRequest.getDefaultInstance()));
        }
        cli.out().print(switch (output) {
            case table -> FunctionStatuses.table(reply.getFunctionsList());
            case json -> OutputFormat.json(reply);
            case yaml -> OutputFormat.yaml(reply);
        });
        return ExitCode.OK;
    }
}
