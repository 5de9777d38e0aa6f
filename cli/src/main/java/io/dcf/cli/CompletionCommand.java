package io.dcf.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code dcf completion}: the bash (and zsh) completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the bash/zsh completion script for dcf.",
        footerHeading = "%n", footer = {"Examples:",
            "  source <(dcf completion)                       this shell",
            "  dcf completion > /etc/bash_completion.d/dcf    every new shell"})
final class CompletionCommand implements Callable<Integer> {

    private final Cli cli;

    @Spec
    private CommandSpec spec;

    CompletionCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        cli.out().print(AutoComplete.bash("dcf", spec.root().commandLine()));
        return ExitCode.OK;
    }
}
