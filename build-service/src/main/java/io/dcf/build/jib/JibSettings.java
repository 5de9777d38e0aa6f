package io.dcf.build.jib;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the Jib builder.
 *
 * @param javaBase           the java runtime's base image (registry reference or {@code tar:///...}); empty: none
 * @param pythonBase         the python runtime's base image; empty: none
 * @param insecureRegistries registries (host:port) reached over plain HTTP
 * @param dockerConfig       a {@code .dockerconfigjson} file with registry credentials, if any
 * @param baseCache          Jib's base-layer cache, shared by builds
 * @param python             the Python that runs pip
 * @param pipArgs            extra pip arguments
 * @param pipTimeout         the longest one pip install may run
 */
public record JibSettings(String javaBase, String pythonBase, List<String> insecureRegistries,
                          Optional<Path> dockerConfig, Path baseCache, String python, List<String> pipArgs,
                          Duration pipTimeout) {

    public JibSettings {
        requireNonNull(javaBase, "javaBase");
        requireNonNull(pythonBase, "pythonBase");
        insecureRegistries = List.copyOf(insecureRegistries);
        requireNonNull(dockerConfig, "dockerConfig");
        requireNonNull(baseCache, "baseCache");
        requireNonNull(python, "python");
        pipArgs = List.copyOf(pipArgs);
        requireNonNull(pipTimeout, "pipTimeout");
    }
}
