package io.dcf.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --gateway} and {@code --token-file} options of every command that talks to the gateway (a picocli mixin). */
public final class GatewayOptions {

    @Option(names = "--gateway", paramLabel = "HOST:PORT",
            description = "The gateway's address. Default: env DCF_GATEWAY, else dcf.gateway in config.yaml, "
                    + "else $DCF_HOME/config.yaml, else localhost:31113.")
    private String gateway;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the gateway's token. Default: env DCF_TOKEN, else the token saved by "
                    + "dcf login for this gateway, else $DCF_HOME/token for the local gateway of $DCF_HOME.")
    private String tokenFile;

    /** The address by the documented resolution order; {@code configFile} is the {@code -f} file or null. */
    public GatewayAddress resolve(Cli cli, Path configFile) {
        return GatewayAddress.resolve(cli, gateway, configFile);
    }

    /** Opens a client to the resolved gateway, sending the token resolved for it. */
    public GatewayClient connect(Cli cli, Path configFile) {
        GatewayAddress address = resolve(cli, configFile);
        return GatewayClient.connect(address, BearerToken.resolve(cli, tokenFile, address));
    }
}
