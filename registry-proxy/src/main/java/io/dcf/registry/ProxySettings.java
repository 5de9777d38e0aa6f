package io.dcf.registry;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The proxy's settings (docs/registry-proxy.md, "Settings"). Each is read from a system property
 * {@code dcf.proxy.<name>} first, then the environment variable {@code DCF_PROXY_<NAME>}.
 *
 * @param upstream        the registry proxied to, {@code http(s)://host[:port]}
 * @param bindAddress     the address listened on (127.0.0.1; the chart sets 0.0.0.0)
 * @param port            the port listened on (0: any free port)
 * @param cacheDir        where the blob cache lives
 * @param cacheMaxBytes   the cache's size bound (0: no cache)
 * @param credentialsFile a docker config JSON with the upstream's credentials, if any
 * @param connectTimeout  the deadline of a connection to the upstream
 * @param upstreamTimeout the deadline of one whole upstream exchange, body included
 */
record ProxySettings(URI upstream, String bindAddress, int port, Path cacheDir, long cacheMaxBytes,
        Optional<Path> credentialsFile, Duration connectTimeout, Duration upstreamTimeout) {

    static final String UPSTREAM = "upstream";

    ProxySettings {
        requireNonNull(upstream, "upstream");
        requireNonNull(bindAddress, "bindAddress");
        requireNonNull(cacheDir, "cacheDir");
        requireNonNull(credentialsFile, "credentialsFile");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(upstreamTimeout, "upstreamTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name("port") + ": " + port + " (expected: 0-65535)");
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException(name("cache-max-bytes") + ": " + cacheMaxBytes + " (expected: >= 0)");
        }
    }

    /** Reads and checks every setting; an {@link IllegalArgumentException} names the one that is wrong. */
    static ProxySettings from(Map<String, String> env, Properties system) {
        Source source = new Source(env, system);
        String upstream = source.get(UPSTREAM).orElseThrow(() -> new IllegalArgumentException(
                name(UPSTREAM) + " is not set (expected: the registry to proxy, e.g. http://registry:5000)"));
        Optional<Path> credentials = source.get("credentials-file").map(Path::of);
        credentials.ifPresent(file -> {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(name("credentials-file") + ": " + file + " is not a readable file");
            }
        });
        return new ProxySettings(upstream(upstream),
                source.get("bind-address").orElse("127.0.0.1"),
                port(source.get("port").orElse("5000")),
                Path.of(source.get("cache-dir").orElse(System.getProperty("java.io.tmpdir") + "/dcf-registry-proxy")),
                Quantities.bytes(name("cache-max-bytes"), source.get("cache-max-bytes").orElse("10Gi")),
                credentials,
                Quantities.duration(name("connect-timeout"), source.get("connect-timeout").orElse("10s")),
                Quantities.duration(name("upstream-timeout"), source.get("upstream-timeout").orElse("10m")));
    }

    /** {@code DCF_PROXY_<NAME>} (or {@code dcf.proxy.<name>}): how errors name a setting. */
    static String name(String setting) {
        return "DCF_PROXY_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static URI upstream(String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL with a host");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (!path.isEmpty() && !path.equals("/")) {
                throw new URISyntaxException(value, "has a path");
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name(UPSTREAM) + ": '" + value
                    + "' (expected: http(s)://host[:port] with no path, e.g. http://registry:5000)");
        }
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name("port") + ": '" + value + "' (expected: 0-65535)");
        }
    }

    private record Source(Map<String, String> env, Properties system) {
        Optional<String> get(String setting) {
            String value = system.getProperty("dcf.proxy." + setting);
            if (value == null) {
                value = env.get(name(setting));
            }
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
        }
    }
}
