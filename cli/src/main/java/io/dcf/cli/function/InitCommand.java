package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.ExitCode;
import io.dcf.cli.GatewayAddressOption;
import io.dcf.cli.config.ConfigParser;
import io.dcf.cli.config.ConfigWriter;
import io.dcf.cli.config.Suggestions;
import io.dcf.cli.runtime.RuntimeDirectory;
import io.dcf.cli.runtime.Templates;
import io.dcf.proto.FunctionNames;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dcf function init NAME --runtime R}. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a function from a runtime's template: a NAME/ directory with the handler, "
                + "and an entry in config.yaml (created when missing).",
        footerHeading = "%n",
        footer = {"Examples:",
            "  dcf function init --runtime python hello-dcf",
            "  dcf function init hello-java --runtime java",
            "", "See 'dcf runtime list' for the runtimes."})
final class InitCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "NAME", description = "The function's name (a DNS-1123 label, e.g. hello-dcf).")
    private String name;

    @Option(names = "--runtime", required = true, paramLabel = "RUNTIME", description = "The runtime (see 'dcf runtime list').")
    private String runtime;

    @Option(names = "--image", paramLabel = "IMAGE", description = "The image name written to config.yaml (Kubernetes mode).")
    private String image;

    @Option(names = {"-f", "--yaml"}, paramLabel = "FILE", defaultValue = "config.yaml",
            description = "The config file to add the function to. Default: ${DEFAULT-VALUE}.")
    private String file;

    @Mixin
    private GatewayAddressOption gateway;

    InitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (!FunctionNames.isValid(name)) {
            throw CliException.usage("invalid function name '" + name + "' (" + ConfigParser.NAME_RULE + ")");
        }
        RuntimeDirectory runtimes = RuntimeDirectory.load(cli.env());
        RuntimeCatalog catalog = runtimes.catalog();
        FunctionRuntime info = catalog.find(runtime).orElseThrow(() -> CliException.usage(
                "runtime '" + runtime + "' is not supported" + Suggestions.hint(runtime, catalog.names())
                        + "; supported runtimes: " + catalog.joinedNames()));
        Path config = cli.resolve(file);
        if (Files.exists(config)
                && new ConfigParser(List.of()).parse(config, file).function(name).isPresent()) {
            throw CliException.usage("Function " + name + " already exists in " + file + " file.");
        }
        Path dir = config.getParent().resolve(name);
        if (Files.exists(dir)) {
            throw CliException.usage("directory " + dir + " already exists; remove it or choose another name");
        }
        Templates.copy(runtimes.template(info), dir);
        String gatewayAddress = gateway.resolve(cli, Files.exists(config) ? config : null).toString();
        ConfigWriter.addFunction(config, new ConfigWriter.NewFunction(name, runtime, "./" + name,
                info.handlerFile(), info.handlerName(), image, info.buildArgs()), gatewayAddress);
        cli.out().println("Directory: " + name + " is created.");
        cli.out().println("Function handler created in directory: " + name);
        cli.out().println("Rewrite the function handler code in " + name + " directory");
        cli.out().println("Config file written: " + file);
        return ExitCode.OK;
    }
}
