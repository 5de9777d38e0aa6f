package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.config.ConfigFile;
import io.dcf.cli.config.FunctionConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The options of the commands that act on the functions of a config file (a picocli mixin):
 * {@code -f/--yaml}, {@code --function} and {@code -v/--verbose}.
 */
final class ConfigSelection {

    @Option(names = {"-f", "--yaml"}, paramLabel = "FILE", defaultValue = "config.yaml",
            description = "The config file. Default: ${DEFAULT-VALUE}.")
    private String file;

    @Option(names = "--function", paramLabel = "NAME", description = "Only this function of the file.")
    private String only;

    @Option(names = {"-v", "--verbose"}, description = "Print the files packaged, the compiler's output and each step.")
    private boolean verbose;

    /** The config file as given, validated against the runtime catalog. */
    ConfigFile load(Cli cli) {
        return Configs.load(cli, file);
    }

    /** The functions of {@code config} to act on: all, or the one named by {@code --function}. */
    List<FunctionConfig> select(ConfigFile config) {
        return Configs.select(config, only);
    }

    /** The config file's path, resolved against the working directory (it may name the gateway). */
    Path path(Cli cli) {
        return cli.resolve(file);
    }

    boolean verbose() {
        return verbose;
    }
}
