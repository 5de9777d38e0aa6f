package io.dcf.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --gateway} option (a picocli mixin), alone for commands that only name the gateway, such as init. */
public final class GatewayAddressOption {

    @Option(names = "--gateway", paramLabel = "HOST:PORT",
            description = "The gateway's address. Default: env DCF_GATEWAY, else dcf.gateway in config.yaml, "
                    + "else $DCF_HOME/config.yaml, else localhost:31113.")
    private String gateway;

    /** The address by the documented resolution order; {@code configFile} is the {@code -f} file or null. */
    public GatewayAddress resolve(Cli cli, Path configFile) {
        return GatewayAddress.resolve(cli, gateway, configFile);
    }
}
