package io.dcf.cli.function;

import com.google.protobuf.Timestamp;
import io.dcf.cli.Cli;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.cli.config.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.GetRequest;
import io.dcf.proto.v1.ReplicaStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dcf function info NAME}. */
@Command(name = "info", aliases = "describe", mixinStandardHelpOptions = true,
        description = "Show one function: its settings, each replica's state, endpoint and restarts, "
                + "its invocations and its URL.",
        footerHeading = "%n", footer = {"Examples:", "  dcf function info hello-dcf", "  dcf function info hello-dcf -o yaml"})
final class InfoCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function.")
    private String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (table means human readable). Default: ${DEFAULT-VALUE}.")
    private OutputFormat output;

    @Mixin
    private GatewayOptions gateway;

    InfoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        FunctionStatus status;
        String url;
        try (GatewayClient client = gateway.connect(cli, null)) {
            status = client.call(name, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.get(GetRequest.newBuilder().setName(name).build()));
            url = client.address().httpUrl() + "/function/" + name;
        }
        switch (output) {
            case json -> cli.out().print(OutputFormat.json(status));
            case yaml -> cli.out().print(OutputFormat.yaml(status));
            default -> print(cli.out(), status, url);
        }
        return ExitCode.OK;
    }

    static void print(PrintStream out, FunctionStatus s, String url) {
        FunctionSpec spec = s.getSpec();
        line(out, "Name", spec.getName());
        line(out, "Status", FunctionStatuses.status(s));
        line(out, "Runtime", spec.getRuntime());
        line(out, "Image", spec.getImage().isEmpty() ? "-" : spec.getImage());
        line(out, "Description", spec.getDescription());
        line(out, "Maintainer", spec.getMaintainer());
        line(out, "Handler", spec.getHandler().getName()
                + (spec.getHandler().getFile().isEmpty() ? "" : " in " + spec.getHandler().getFile())
                + (spec.getHandler().getDir().isEmpty() ? "" : " (" + spec.getHandler().getDir() + ")"));
        line(out, "Replicas", s.getReplicas() + " wanted, " + s.getReadyReplicas() + " ready");
        line(out, "Invocations", Long.toUnsignedString(s.getInvocationCount()));
        line(out, "Auth", spec.getAuth().isEmpty() ? "none" : spec.getAuth());
        if (spec.hasTimeout()) {
            line(out, "Timeout", Durations.format(Duration.ofSeconds(spec.getTimeout().getSeconds(), spec.getTimeout().getNanos())));
        }
        line(out, "Environment", join(spec.getEnvironmentMap()));
        line(out, "Labels", join(spec.getLabelsMap()));
        line(out, "Generation", Long.toString(s.getGeneration()));
        line(out, "Created", time(s.getCreated()));
        line(out, "Updated", time(s.getUpdated()));
        line(out, "URL", url);
        out.println("Replica states:");
        if (s.getReplicaStatusesCount() == 0) {
            out.println("  (none)");
        }
        for (ReplicaStatus r : s.getReplicaStatusesList()) {
            String name = FunctionStatuses.replicaLabel(r.getIndex(), r.getName());
            out.println("  #" + r.getIndex() + (name.equals(Integer.toString(r.getIndex())) ? "" : "  " + name)
                    + "  " + r.getState()
                    + "  endpoint=" + (r.getEndpoint().isEmpty() ? "-" : r.getEndpoint())
                    + "  restarts=" + r.getRestarts()
                    + (r.getPid() > 0 ? "  pid=" + r.getPid() : "")
                    + (r.getMessage().isEmpty() ? "" : "  message=" + r.getMessage()));
        }
    }

    private static void line(PrintStream out, String key, String value) {
        out.printf("%-13s%s%n", key + ":", value.isEmpty() ? "-" : value);
    }

    private static String join(Map<String, String> map) {
        return String.join(", ", map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList());
    }

    private static String time(Timestamp t) {
        return t.getSeconds() == 0 && t.getNanos() == 0 ? "" : Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
    }
}
