package io.dcf.cli.function;

import picocli.CommandLine.Command;

/** {@code dcf function} (alias {@code fn}). */
@Command(name = "function", aliases = "fn", mixinStandardHelpOptions = true,
        description = "Create, deploy, list, call and delete functions.",
        subcommands = {InitCommand.class, BuildCommand.class, DeployCommand.class, ListCommand.class,
                InfoCommand.class, CallCommand.class, LogsCommand.class, DeleteCommand.class, ScaleCommand.class,
                UpdateModelCommand.class, VersionsCommand.class, RollbackCommand.class},
        footerHeading = "%n",
        footer = {"Example (the Hello DCF workflow):",
            "  dcf function init --runtime python hello-dcf",
            "  dcf function create -f config.yaml",
            "  dcf function list",
            "  echo \"Hello, DCF!\" | dcf function call hello-dcf",
            "  dcf function delete hello-dcf"})
public final class FunctionCommand {
}
