package io.dcf.cli.function;

import com.google.protobuf.Timestamp;
import io.dcf.cli.Cli;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.v1.FunctionVersion;
import io.dcf.proto.v1.VersionsReply;
import io.dcf.proto.v1.VersionsRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dcf function versions NAME}. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = {"List a function's versions, newest first: what made each (deploy, update, update-model, "
                + "rollback), its image or model, and whether it can still be rolled back to.",
            "The current version is marked *."},
        footerHeading = "%n", footer = {"Examples:", "  dcf function versions scorer",
            "  dcf function versions scorer -o json"})
final class VersionsCommand implements Callable<Integer> {

    static final List<String> COLUMNS = List.of("", "Version", "Cause", "Created", "Model", "Digest", "Image",
            "Rollback");

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function.")
    private String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    private OutputFormat output;

    @Mixin
    private GatewayOptions gateway;

    VersionsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        VersionsReply reply;
        try (GatewayClient client = gateway.connect(cli, null)) {
            reply = client.call(name, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.versions(VersionsRequest.newBuilder().setName(name).build()));
        }
        cli.out().print(switch (output) {
            case table -> table(reply.getVersionsList());
            case json -> OutputFormat.json(reply);
            case yaml -> OutputFormat.yaml(reply);
        });
        return ExitCode.OK;
    }

    static String table(List<FunctionVersion> versions) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (FunctionVersion v : versions) {
            String cause = v.getCause() + (v.getRolledBackTo() > 0 ? " to " + v.getRolledBackTo() : "");
            rows.add(List.of(v.getCurrent() ? "*" : "", Long.toString(v.getVersion()), cause, time(v.getCreated()),
                    v.getModelPath().isEmpty() ? "-" : v.getModelPath() + " (" + UpdateModelCommand.bytes(
                            v.getModelBytes()) + ")",
                    v.getModelDigest().isEmpty() ? "-" : shortDigest(v.getModelDigest()),
                    v.getImage().isEmpty() ? "-" : v.getImage(),
                    v.getCurrent() ? "current" : v.getAvailable() ? "yes" : "no (code removed)"));
        }
        return FunctionStatuses.aligned(rows);
    }

    private static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    private static String time(Timestamp t) {
        return t.getSeconds() == 0 ? "-" : Instant.ofEpochSecond(t.getSeconds()).toString();
    }
}
