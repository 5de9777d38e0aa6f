package io.dcf.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The options of every command that talks to the gateway (a picocli mixin): {@code --gateway},
 * {@code --token-file}, {@code --tls} and {@code --ca}.
 */
public final class GatewayOptions {

    /** The environment variable naming a CA certificate file (PEM); set, it means TLS. */
    public static final String CA_ENV = "DCF_CA";

    @Mixin
    private GatewayAddressOption gateway;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the gateway's token. Default: env DCF_TOKEN, else the token saved by "
                    + "dcf login for this gateway, else $DCF_HOME/token for the local gateway of $DCF_HOME.")
    private String tokenFile;

    @Option(names = "--tls", description = "Talk to the gateway over TLS, trusting the system's CAs (see --ca).")
    private boolean tls;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "Talk to the gateway over TLS, trusting the CA certificate(s) in FILE (PEM), for example "
                    + "a self-signed gateway certificate. Default: env DCF_CA.")
    private String ca;

    /** The address by the documented resolution order; {@code configFile} is the {@code -f} file or null. */
    public GatewayAddress resolve(Cli cli, Path configFile) {
        return gateway.resolve(cli, configFile);
    }

    /** Opens a client to the resolved gateway, sending the token resolved for it. */
    public GatewayClient connect(Cli cli, Path configFile) {
        GatewayAddress address = resolve(cli, configFile);
        Optional<BearerToken> token = BearerToken.resolve(cli, tokenFile, address);
        ChannelCredentials credentials = credentials(cli);
        if (token.isPresent() && credentials instanceof InsecureChannelCredentials && !address.isLoopback()) {
            cli.err().println("Warning: sending the gateway's " + token.get() + " to " + address
                    + " without TLS; anyone on the network path can read it (see --tls, --ca)");
        }
        return GatewayClient.connect(address, token, credentials);
    }

    /** The token sent to {@code address} (and to the build-service it names), by the documented order. */
    public Optional<BearerToken> token(Cli cli, GatewayAddress address) {
        return BearerToken.resolve(cli, tokenFile, address);
    }

    /** The {@code --token-file} value, or null. */
    String tokenFile() {
        return tokenFile;
    }

    /** TLS trusting {@code --ca} or {@code DCF_CA}; with {@code --tls} the system's CAs; else plaintext. */
    ChannelCredentials credentials(Cli cli) {
        String caFile = ca != null ? ca : cli.env().get(CA_ENV);
        if (caFile != null && !caFile.isBlank()) {
            Path file = cli.resolve(caFile);
            try {
                return TlsChannelCredentials.newBuilder().trustManager(file.toFile()).build();
            } catch (IOException | RuntimeException e) {
                throw CliException.usage("--ca: cannot read CA certificates from " + file
                        + " (" + e.getMessage() + ")");
            }
        }
        return tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    }
}
