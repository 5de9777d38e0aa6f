package io.dcf.cli.function;

import io.dcf.cli.Cli;
import io.dcf.cli.CliException;
import io.dcf.cli.GatewayAddress;
import io.dcf.cli.GatewayClient;
import io.dcf.cli.GatewayOptions;
import io.dcf.proto.v1.InfoReply;
import io.dcf.proto.v1.InfoRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Finds the build-service a gateway names ({@code Info.build_service}) and connects to it with the gateway's token. */
final class GatewayBuildService {

    private static final Duration INFO_DEADLINE = Duration.ofSeconds(10);

    private GatewayBuildService() {
    }

    /** The gateway's build-service, or empty when it has none (local mode). */
    static Optional<BuildServiceClient> of(Cli cli, GatewayOptions gateway, GatewayClient client) {
        InfoReply info = client.call(null, INFO_DEADLINE, stub -> stub.info(InfoRequest.getDefaultInstance()));
        if (info.getBuildService().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(BuildServiceClient.connect(info.getBuildService(), gateway.token(cli, client.address())));
    }

    /**
     * The build-service of the gateway {@code gateway} resolves to. With {@code required}, a gateway
     * without one (or out of reach) is an error; else that means empty: build as in local mode.
     */
    static Optional<BuildServiceClient> find(Cli cli, GatewayOptions gateway, Path configFile, boolean required,
                                             String given) {
        GatewayAddress address = gateway.resolve(cli, configFile);
        if (given != null && !given.isBlank()) {
            return Optional.of(BuildServiceClient.connect(given, gateway.token(cli, address)));
        }
        try (GatewayClient client = gateway.connect(cli, configFile)) {
            Optional<BuildServiceClient> service = of(cli, gateway, client);
            if (service.isEmpty() && required) {
                throw CliException.usage("the DCF gateway at " + address + " has no build-service (in local mode"
                        + " it builds on deploy); use --builder jib or local");
            }
            return service;
        } catch (CliException e) {
            if (required) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
