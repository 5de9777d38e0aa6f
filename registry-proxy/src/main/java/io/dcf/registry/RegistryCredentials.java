package io.dcf.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The upstream's user and password, read from a docker config JSON (the {@code .dockerconfigjson}
 * of a {@code kubernetes.io/dockerconfigjson} Secret): {@code {"auths": {"<host[:port]>":
 * {"username": ..., "password": ...} or {"auth": base64(user:password)}}}}. Never logged:
 * {@link #toString()} hides the password.
 */
record RegistryCredentials(String username, String password) {

    String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=***]";
    }

    /** The entry of {@code file} for {@code upstream}'s host[:port]; an error names the file and what is wrong. */
    static RegistryCredentials read(Path file, URI upstream) {
        String setting = ProxySettings.name("credentials-file") + " " + file;
        JsonNode auths;
        try {
            auths = new ObjectMapper().readTree(Files.readString(file)).path("auths");
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + ": not a docker config JSON (" + e.getClass().getSimpleName() + ")");
        }
        String want = authority(upstream);
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> auth : auths.properties()) {
            found.add(auth.getKey());
            if (hostOf(auth.getKey()).equalsIgnoreCase(want)) {
                return of(setting + ": auths." + auth.getKey(), auth.getValue());
            }
        }
        throw new IllegalArgumentException(setting + ": no entry for " + want + " in auths (found: " + found + ")");
    }

    private static RegistryCredentials of(String where, JsonNode entry) {
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (user.isEmpty() && !entry.path("auth").asText("").isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(entry.path("auth").asText()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".auth: not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ".auth: expected base64 of user:password");
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        if (user.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException(where + ": expected username and password, or auth");
        }
        return new RegistryCredentials(user, password);
    }

    static String authority(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static String hostOf(String key) {
        String k = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }
}
