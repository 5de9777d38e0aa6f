package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.ExitCode;
import io.dcf.cli.config.ConfigFile;
import io.dcf.cli.config.FunctionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code dcf function build -f config.yaml}: package and check locally, send nothing. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Package each function of config.yaml and check it locally (Java handlers are compiled "
                + "against function-sdk, Python handlers must have their handler file). Nothing is deployed.",
        footerHeading = "%n",
        footer = {"Examples:", "  dcf function build -f config.yaml", "  dcf function build -f config.yaml -v --function hello-java"})
final class BuildCommand implements Callable<Integer> {

    private final Cli cli;

    @Option(names = {"-f", "--yaml"}, paramLabel = "FILE", defaultValue = "config.yaml",
            description = "The config file. Default: ${DEFAULT-VALUE}.")
    private String file;

    @Option(names = {"-v", "--verbose"}, description = "Print the files packaged and the compiler's output.")
    private boolean verbose;

    @Option(names = "--function", paramLabel = "NAME", description = "Build only this function of the file.")
    private String only;

    BuildCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        ConfigFile config = Configs.load(cli, file);
        for (FunctionConfig fn : Configs.select(config, only)) {
            FunctionBuild.Built built = FunctionBuild.build(cli, config, fn, verbose, true);
            if (built.artifact() != null) {
                cli.out().println("Built: " + fn.name());
            }
        }
        return ExitCode.OK;
    }
}
