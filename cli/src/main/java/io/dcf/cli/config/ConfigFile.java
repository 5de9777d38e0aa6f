package io.dcf.cli.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A parsed config.yaml.
 *
 * @param displayName the file as the user named it, used in messages
 * @param baseDir the directory handler paths are relative to
 * @param gateway {@code dcf.gateway} (or {@code openfx.gateway}), null when absent
 * @param functions the functions in file order
 */
public record ConfigFile(String displayName, Path baseDir, String gateway, List<FunctionConfig> functions) {

    public ConfigFile {
        functions = List.copyOf(functions);
    }

    public Optional<FunctionConfig> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
