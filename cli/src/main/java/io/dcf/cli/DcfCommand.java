package io.dcf.cli;

import io.dcf.cli.function.FunctionCommand;
import io.dcf.cli.launcher.DownCommand;
import io.dcf.cli.launcher.UpCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code dcf}: the root command. */
@Command(name = "dcf", mixinStandardHelpOptions = true, versionProvider = DcfCommand.Version.class,
        description = "DCF for Java: deploy and call serverless functions (handlers in Java, Python, ...).",
        subcommands = {UpCommand.class, DownCommand.class, RuntimeCommand.class, FunctionCommand.class,
                ConfigCommand.class, LoginCommand.class, CompletionCommand.class},
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  ./dcf up                 start a local gateway with the hello-java example",
            "  dcf runtime list",
            "  dcf function init --runtime python hello-dcf",
            "  dcf function create -f config.yaml",
            "  dcf function list",
            "  echo \"Hello, DCF!\" | dcf function call hello-dcf",
            "  dcf function delete hello-dcf",
            "",
            "Gateway address, the first one set of:",
            "  --gateway HOST:PORT",
            "  env DCF_GATEWAY",
            "  dcf.gateway in config.yaml (the -f file, else ./config.yaml)",
            "  gateway in $DCF_HOME/config.yaml (dcf config set gateway HOST:PORT)",
            "  localhost:31113",
            "",
            "Gateway token (management calls; functions with auth: token), the first one set of:",
            "  --token-file FILE",
            "  env DCF_TOKEN",
            "  the token saved by dcf login for that gateway",
            "  $DCF_HOME/token, for the local gateway of $DCF_HOME (written by dcf up)",
            "",
            "Exit codes:",
            "  0  success",
            "  1  usage or configuration error (bad option, invalid config.yaml)",
            "  2  gateway or function error (unreachable, function not found or failed)"})
final class DcfCommand {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors (for bug reports).")
    private boolean debug;

    /** The version from the jar manifest. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DcfCommand.class.getPackage().getImplementationVersion();
            return new String[] {"dcf " + (version == null ? "development build" : version)};
        }
    }
}
