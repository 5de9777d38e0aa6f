package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.cli.config.FunctionConfig;
import io.dcf.proto.v1.DeleteRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dcf function delete NAME...} or {@code dcf function delete -f config.yaml}. */
@Command(name = "delete", aliases = {"rm", "remove"}, mixinStandardHelpOptions = true,
        description = "Delete functions and stop their replicas: the ones named, or every function of a config file.",
        footerHeading = "%n",
        footer = {"Examples:", "  dcf function delete hello-dcf", "  dcf function delete -f config.yaml"})
final class DeleteCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "The functions to delete.")
    private List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--yaml"}, paramLabel = "FILE", description = "Delete every function defined in FILE.")
    private String file;

    @Mixin
    private GatewayOptions gateway;

    DeleteCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        List<String> targets = new ArrayList<>(names);
        Path configFile = null;
        if (file != null) {
            configFile = cli.resolve(file);
            Configs.load(cli, file).functions().stream().map(FunctionConfig::name).forEach(targets::add);
        }
        if (targets.isEmpty()) {
            throw CliException.usage("name a function to delete, or pass -f config.yaml (see 'dcf function delete --help')");
        }
        try (GatewayClient client = gateway.connect(cli, configFile)) {
            for (String name : targets) {
                client.call(name, GatewayClient.DEFAULT_DEADLINE,
                        stub -> stub.delete(DeleteRequest.newBuilder().setName(name).build()));
                cli.out().println("Deleted: " + name);
            }
        }
        return ExitCode.OK;
    }
}
