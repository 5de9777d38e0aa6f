package io.dcf.cli;

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

/** The user's settings in {@code $DCF_HOME/config.yaml} (default {@code ~/.dcf/config.yaml}). */
final class UserSettings {

    static final String GATEWAY = "gateway";
    static final Set<String> KEYS = Set.of(GATEWAY);

    private UserSettings() {
    }

    static Path file(Path home) {
        return home.resolve("config.yaml");
    }

    /** Reads the settings; a missing file is empty settings. */
    static Map<String, String> load(Path home) {
        Path file = file(home);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object root = new Yaml().load(reader);
            Map<String, String> settings = new LinkedHashMap<>();
            if (root instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    if (v != null && !(v instanceof Map) && !(v instanceof Iterable)) {
                        settings.put(String.valueOf(k), String.valueOf(v));
                    }
                });
            }
            return settings;
        } catch (IOException | RuntimeException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Writes one setting, keeping the others; the file is replaced atomically. */
    static void save(Path home, String key, String value) {
        Map<String, String> settings = new LinkedHashMap<>(load(home));
        settings.put(key, value);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = file(home);
        try {
            AtomicFiles.writeString(file, new Yaml(options).dump(settings));
        } catch (IOException e) {
            throw CliException.usage("cannot write " + file + ": " + e.getMessage());
        }
    }
}
