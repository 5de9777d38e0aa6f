package io.dcf.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code dcf config set|get}: the user's settings in {@code $DCF_HOME/config.yaml}. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Read or change your settings ($DCF_HOME/config.yaml, default ~/.dcf/config.yaml).",
        subcommands = {ConfigCommand.Set.class, ConfigCommand.Get.class})
final class ConfigCommand {

    private static String checkKey(String key) {
        if (!UserSettings.KEYS.contains(key)) {
            throw CliException.usage("unknown setting '" + key + "' (supported: gateway)");
        }
        return key;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Save a setting.",
            footerHeading = "%n", footer = {"Example:", "  dcf config set gateway 10.0.0.5:31113"})
    static final class Set implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "KEY", description = "The setting: gateway.")
        private String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value, for gateway host:port.")
        private String value;

        Set(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String address = GatewayAddress.parse(value, "the value").toString();
            UserSettings.save(cli.home(), checkKey(key), address);
            cli.out().println("gateway = " + address + " (saved in " + UserSettings.file(cli.home()) + ")");
            return ExitCode.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print a setting (the default when it is not set).",
            footerHeading = "%n", footer = {"Example:", "  dcf config get gateway"})
    static final class Get implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "KEY", description = "The setting: gateway.")
        private String key;

        Get(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String value = UserSettings.load(cli.home()).get(checkKey(key));
            cli.out().println(value == null ? GatewayAddress.DEFAULT : value);
            return ExitCode.OK;
        }
    }
}
