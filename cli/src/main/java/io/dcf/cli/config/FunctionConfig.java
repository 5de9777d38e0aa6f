package io.dcf.cli.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One function of config.yaml, as written (paths are still relative to the file).
 * Optional numbers are null when absent; {@code auth} is {@code none} (the default) or {@code token}.
 */
public record FunctionConfig(
        String name, int line, String runtime, String description, String maintainer,
        HandlerConfig handler, String image, String dockerRegistry,
        Map<String, String> environment, List<String> environmentFiles, List<String> secrets,
        Map<String, String> labels, Map<String, String> annotations, List<String> constraints,
        ResourcesConfig limits, ResourcesConfig requests, List<String> buildArgs, List<String> buildPackages,
        boolean skipBuild, Integer replicas, ScaleConfig scale, Duration timeout, Long maxBodyBytes,
        List<Map<String, Object>> triggers, String auth) {

    /** The handler section; {@code dir} defaults to {@code ./<name>}, {@code name} to {@code Handler}. */
    public record HandlerConfig(String dir, String file, String name) {

        /** The handler directory, resolved against the directory of config.yaml. */
        public Path resolveDir(Path baseDir) {
            return baseDir.resolve(dir).normalize();
        }
    }

    /** {@code limits} or {@code requests}; empty strings when absent. */
    public record ResourcesConfig(String cpu, String memory, String gpu) {

        public static final ResourcesConfig NONE = new ResourcesConfig("", "", "");
    }

    /** {@code scale}; null members when absent. */
    public record ScaleConfig(Integer min, Integer max, Integer targetInflight, Duration zeroAfter, String mode) {
    }
}
