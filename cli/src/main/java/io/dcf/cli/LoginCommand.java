package io.dcf.cli;

import io.dcf.proto.v1.InfoReply;
import io.dcf.proto.v1.InfoRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code dcf login}: checks a gateway's token and saves it for that gateway in the user's settings. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Check that a gateway accepts a token, then save the token for that gateway in "
                + "$DCF_HOME/config.yaml (mode 0600); later commands send it to that gateway. A local gateway "
                + "started by dcf up needs no login: the CLI reads $DCF_HOME/token by itself.",
        footerHeading = "%n",
        footer = {"Examples:",
            "  dcf login --gateway 10.0.0.5:31113 --token-file ./gateway-token",
            "  dcf login --gateway gw.example:443 --ca ca.pem --token-file ./gateway-token",
            "  ssh build-host cat .dcf/token | dcf login --gateway build-host:31113 --token-file -"})
final class LoginCommand implements Callable<Integer> {

    private final Cli cli;

    @Mixin
    private GatewayOptions gateway;

    LoginCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        String tokenFile = gateway.tokenFile();
        if (tokenFile == null || tokenFile.isBlank()) {
            throw CliException.usage("dcf login needs --token-file FILE (- reads the token from standard input)");
        }
        GatewayAddress address = gateway.resolve(cli, null);
        BearerToken token = tokenFile.equals("-") ? fromStdin() : BearerToken.read(cli.resolve(tokenFile), tokenFile);
        InfoReply info;
        try (GatewayClient client = GatewayClient.connect(address, Optional.of(token), gateway.credentials(cli))) {
            info = client.call(null, GatewayClient.DEFAULT_DEADLINE,
                    stub -> stub.info(InfoRequest.getDefaultInstance()));
        }
        UserSettings.saveToken(cli.home(), address.toString(), token.value());
        cli.out().println("Logged in to the DCF gateway at " + address + " (version " + info.getVersion() + ", backend "
                + info.getBackend() + "); token saved in " + UserSettings.file(cli.home()));
        return ExitCode.OK;
    }

    private BearerToken fromStdin() throws IOException {
        String first = new String(cli.in().readAllBytes(), StandardCharsets.UTF_8).strip()
                .lines().findFirst().orElse("");
        if (first.isBlank()) {
            throw CliException.usage("--token-file -: standard input holds no token");
        }
        return new BearerToken(first.strip(), "standard input");
    }
}
