package io.dcf.cli;

import io.dcf.common.AtomicFiles;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The user's settings in {@code $DCF_HOME/config.yaml} (default {@code ~/.dcf/config.yaml}):
 * scalar settings such as {@code gateway}, and the tokens saved by {@code dcf login} under
 * {@code tokens}, by gateway address. The file is written with mode 0600.
 */
final class UserSettings {

    static final String GATEWAY = "gateway";
    static final String TOKENS = "tokens";
    static final Set<String> KEYS = Set.of(GATEWAY);

    private UserSettings() {
    }

    static Path file(Path home) {
        return home.resolve("config.yaml");
    }

    /** Reads the scalar settings; a missing file is empty settings. */
    static Map<String, String> load(Path home) {
        Map<String, String> settings = new LinkedHashMap<>();
        raw(home).forEach((k, v) -> {
            if (v != null && !(v instanceof Map) && !(v instanceof Iterable)) {
                settings.put(k, String.valueOf(v));
            }
        });
        return settings;
    }

    /** The tokens saved by {@code dcf login}, by gateway address ({@code host:port}). */
    static Map<String, String> tokens(Path home) {
        Map<String, String> tokens = new LinkedHashMap<>();
        if (raw(home).get(TOKENS) instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v != null) {
                    tokens.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return tokens;
    }

    /** Writes one setting, keeping the others; the file is replaced atomically. */
    static void save(Path home, String key, String value) {
        Map<String, Object> settings = raw(home);
        settings.put(key, value);
        write(home, settings);
    }

    /** Saves the token of one gateway, keeping the other settings and tokens. */
    static void saveToken(Path home, String address, String token) {
        Map<String, Object> settings = raw(home);
        Map<String, String> tokens = tokens(home);
        tokens.put(address, token);
        settings.put(TOKENS, tokens);
        write(home, settings);
    }

    private static Map<String, Object> raw(Path home) {
        Path file = file(home);
        Map<String, Object> settings = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return settings;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (new Yaml().load(reader) instanceof Map<?, ?> map) {
                map.forEach((k, v) -> settings.put(String.valueOf(k), v));
            }
            return settings;
        } catch (IOException | RuntimeException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void write(Path home, Map<String, Object> settings) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = file(home);
        try {
            AtomicFiles.writePrivate(file, new Yaml(options).dump(settings));
        } catch (IOException e) {
            throw CliException.usage("cannot write " + file + ": " + e.getMessage());
        }
    }
}
