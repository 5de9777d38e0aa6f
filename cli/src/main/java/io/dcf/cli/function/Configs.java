package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.config.ConfigFile;
import io.dcf.cli.config.ConfigParser;
import io.dcf.cli.config.FunctionConfig;
import io.dcf.cli.runtime.RuntimeDirectory;
import io.dcf.runtimes.FunctionRuntime;
import io.dcf.runtimes.RuntimeCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loads the config.yaml named by {@code -f}, validating runtimes against the catalog. */
final class Configs {

    private Configs() {
    }

    static ConfigFile load(Cli cli, String file) {
        Path path = cli.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw CliException.usage(file + " not found in " + cli.cwd()
                    + " (create one with: dcf function init --runtime python <name>)");
        }
        List<String> runtimes = catalog(cli).map(RuntimeCatalog::names).orElse(List.of());
        return new ConfigParser(runtimes).parse(path, file);
    }

    /** The catalog's entry for {@code name}; empty when unknown or when the catalog cannot be read. */
    static Optional<FunctionRuntime> runtime(Cli cli, String name) {
        return catalog(cli).flatMap(c -> c.find(name));
    }

    /** The runtime catalog; empty when it cannot be read (config.yaml then accepts any runtime). */
    private static Optional<RuntimeCatalog> catalog(Cli cli) {
        try {
            return Optional.of(RuntimeDirectory.load(cli.env()).catalog());
        } catch (CliException e) {
            return Optional.empty();
        }
    }

    /** The functions to act on: all, or the one named by {@code --function}. */
    static List<FunctionConfig> select(ConfigFile config, String only) {
        if (only == null) {
            if (config.functions().isEmpty()) {
                throw CliException.usage(config.displayName() + ": no functions defined");
            }
            return config.functions();
        }
        return List.of(config.function(only).orElseThrow(() -> CliException.usage(
                "function " + only + " is not in " + config.displayName())));
    }
}
