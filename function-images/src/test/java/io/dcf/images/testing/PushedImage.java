package io.dcf.images.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image read back from a registry over its HTTP API: the manifest, the config, and the
 * entries of each layer (path, mode, owner), to check what a recipe really pushed.
 */
public final class PushedImage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCEPT = "application/vnd.docker.distribution.manifest.v2+json,"
            + "application/vnd.oci.image.manifest.v1+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    public final JsonNode manifest;
    public final JsonNode config;

    /** Reads {@code repository:tag} from the registry at {@code host} (plain HTTP). */
    public PushedImage(String host, String repository, String tag) throws IOException, InterruptedException {
        this.base = "http://" + host + "/v2/" + repository;
        this.manifest = JSON.readTree(get("/manifests/" + tag));
        this.config = JSON.readTree(get("/blobs/" + manifest.path("config").path("digest").asText()));
    }

    public int layerCount() {
        return manifest.path("layers").size();
    }

    /** The compressed size of all layers, as a pull transfers them. */
    public long compressedSize() {
        long size = 0;
        for (JsonNode layer : manifest.path("layers")) {
            size += layer.path("size").asLong();
        }
        return size;
    }

    public List<String> entrypoint() {
        return strings(config.path("config").path("Entrypoint"));
    }

    public List<String> cmd() {
        return strings(config.path("config").path("Cmd"));
    }

    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(config.path("config").path("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    public String user() {
        return config.path("config").path("User").asText();
    }

    public String workingDir() {
        return config.path("config").path("WorkingDir").asText();
    }

    public List<String> exposedPorts() {
        List<String> ports = new ArrayList<>();
        config.path("config").path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        return ports;
    }

    public String label(String name) {
        return config.path("config").path("Labels").path(name).asText(null);
    }

    /** The entries of layer {@code index} (0 = the lowest): path without a leading "./" -> mode and owner. */
    public Map<String, Entry> layer(int index) throws IOException, InterruptedException {
        String digest = manifest.path("layers").get(index).path("digest").asText();
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(get("/blobs/" + digest)));
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = "/" + entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
                entries.put(name, new Entry(entry.getMode() & 07777, entry.getLongUserId(), entry.getSize()));
            }
        }
        return entries;
    }

    public record Entry(int mode, long uid, long size) {
    }

    private byte[] get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", ACCEPT)
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + base + path + ": HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
