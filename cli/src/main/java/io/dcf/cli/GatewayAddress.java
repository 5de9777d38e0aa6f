package io.dcf.cli;

import io.dcf.cli.config.ConfigParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A gateway's {@code host:port} and where it came from.
 *
 * <p>Resolution order: {@code --gateway}, then {@code DCF_GATEWAY}, then
 * {@code dcf.gateway} (or {@code openfx.gateway}) of the config.yaml given with
 * {@code -f} or found in the working directory, then {@code gateway} in
 * {@code $DCF_HOME/config.yaml} ({@code dcf config set gateway}), then
 * {@code localhost:31113}.
 */
public record GatewayAddress(String host, int port, String source) {

    public static final int DEFAULT_PORT = 31113;
    public static final String DEFAULT = "localhost:" + DEFAULT_PORT;

    /**
     * Resolves the gateway address.
     *
     * @param flag the {@code --gateway} value, or null
     * @param configFile the config.yaml given with {@code -f}, or null
     */
    public static GatewayAddress resolve(Cli cli, String flag, Path configFile) {
        if (flag != null && !flag.isBlank()) {
            return parse(flag, "--gateway");
        }
        String env = cli.env().get("DCF_GATEWAY");
        if (env != null && !env.isBlank()) {
            return parse(env, "DCF_GATEWAY");
        }
        Path config = configFile != null ? configFile : cli.cwd().resolve("config.yaml");
        if (Files.isRegularFile(config)) {
            String fromFile = ConfigParser.readGateway(config);
            if (fromFile != null && !fromFile.isBlank()) {
                return parse(fromFile, config.getFileName().toString());
            }
        }
        String saved = UserSettings.load(cli.home()).get(UserSettings.GATEWAY);
        if (saved != null && !saved.isBlank()) {
            return parse(saved, UserSettings.file(cli.home()).toString());
        }
        return parse(DEFAULT, "default");
    }

    /** Parses {@code host:port}, {@code host} (port 31113) or {@code http://host:port/}. */
    public static GatewayAddress parse(String text, String source) {
        String s = text.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String host = s;
        int port = DEFAULT_PORT;
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(']') < colon) {
            host = s.substring(0, colon);
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || port < 1 || port > 65535 || host.contains("/")) {
            throw CliException.usage("invalid gateway address '" + text + "' from " + source
                    + " (expected host:port, for example localhost:31113)");
        }
        return new GatewayAddress(host.toLowerCase(Locale.ROOT), port, source);
    }

    /** The base URL of HTTP invocation, {@code http://host:port}. */
    /** True when the gateway runs on this machine (it can then read the handler directory itself). */
    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    public String httpUrl() {
        return "http://" + this;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
