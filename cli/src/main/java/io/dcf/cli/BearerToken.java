package io.dcf.cli;

import io.dcf.cli.launcher.PidFile;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The token the CLI sends to a gateway ({@code Authorization: Bearer ...}) and where it
 * came from. {@link #toString()} names the source, never the token.
 *
 * <p>Resolution order: {@code --token-file}, then {@code DCF_TOKEN}, then the token saved
 * by {@code dcf login} for the gateway's address, then, for a gateway on this machine
 * whose {@code $DCF_HOME/gateway.pid} names the same port, {@code $DCF_HOME/token}.
 */
public record BearerToken(String value, String source) {

    public static final String ENV = "DCF_TOKEN";
    /** The file a local gateway keeps its token in, inside its DCF_HOME. */
    public static final String HOME_FILE = "token";

    public BearerToken {
        requireNonNull(value, "value");
        requireNonNull(source, "source");
    }

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** {@code channel} sending {@code token} with every call ({@code authorization: Bearer ...}); as is when empty. */
    public static Channel attach(Channel channel, Optional<BearerToken> token) {
        return token.map(t -> {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + t.value());
            return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        }).orElse(channel);
    }

    /** The token for {@code address} by the documented order; empty when none applies. */
    public static Optional<BearerToken> resolve(Cli cli, String tokenFile, GatewayAddress address) {
        if (tokenFile != null && !tokenFile.isBlank()) {
            return Optional.of(read(cli.resolve(tokenFile), "--token-file " + tokenFile));
        }
        String env = cli.env().get(ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(new BearerToken(env.strip(), ENV));
        }
        String saved = UserSettings.tokens(cli.home()).get(address.toString());
        if (saved != null && !saved.isBlank()) {
            return Optional.of(new BearerToken(saved.strip(), "dcf login (" + UserSettings.file(cli.home()) + ")"));
        }
        boolean ownGateway = address.isLoopback()
                && PidFile.read(cli.home()).filter(pid -> pid.port() == address.port()).isPresent();
        return ownGateway ? local(cli.home()) : Optional.empty();
    }

    /** The token a local gateway generated in {@code home}, when there is one. */
    public static Optional<BearerToken> local(Path home) {
        Path file = home.resolve(HOME_FILE);
        return Files.isRegularFile(file) ? Optional.of(read(file, file.toString())) : Optional.empty();
    }

    /** The first line of {@code file}; a usage error naming the file when it is missing or empty. */
    public static BearerToken read(Path file, String source) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw CliException.usage("cannot read the token file " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        String first = text.lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            throw CliException.usage("the token file " + file + " is empty");
        }
        return new BearerToken(first, source);
    }

    @Override
    public String toString() {
        return "token from " + source;
    }
}
