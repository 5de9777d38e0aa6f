package io.dcf.cli;

import io.dcf.cli.runtime.RuntimeDirectory;
import io.dcf.runtimes.FunctionRuntime;
import picocli.CommandLine.Command;

/** {@code dcf runtime list}. */
@Command(name = "runtime", mixinStandardHelpOptions = true,
        description = "Show the runtimes a function can be written for.",
        subcommands = RuntimeCommand.ListCommand.class)
final class RuntimeCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the supported runtimes, in the order of list.yml.",
            footerHeading = "%n", footer = {"Example:", "  dcf runtime list", "",
                "Runtimes come from the runtimes module (list.yml); set DCF_RUNTIMES_DIR to use another directory."})
    static final class ListCommand implements java.util.concurrent.Callable<Integer> {

        private final Cli cli;

        ListCommand(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            RuntimeDirectory runtimes = RuntimeDirectory.load(cli.env());
            cli.out().println("Supported Runtimes are:");
            for (FunctionRuntime runtime : runtimes.catalog().runtimes()) {
                cli.out().println("- " + runtime.name());
            }
            return ExitCode.OK;
        }
    }
}
