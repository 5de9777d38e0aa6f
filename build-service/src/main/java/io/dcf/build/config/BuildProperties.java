package io.dcf.build.config;

import io.dcf.build.kaniko.KanikoSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * build-service's settings ({@code dcf.build.*}; environment variables such as
 * {@code DCF_BUILD_PORT} override them). docs/build-service.md lists them.
 *
 * @param port        the gRPC (and REST) port; 0 picks a free one
 * @param bindAddress the address to listen on: 127.0.0.1 by default, 0.0.0.0 in a cluster
 * @param workDir     where bundles are received and builds run, one directory per build (deleted after)
 * @param tokenFile   the bearer token every Builder call needs (first line); empty: {@code <work-dir>/token},
 *                    generated (mode 0600) when missing
 * @param registry    the registry a build pushes to when its request names no repository
 *                    ({@code registry/<function>}); empty: requests must name one
 * @param concurrency builds that run at once
 * @param maxQueued   builds that may wait for a worker; more are refused (RESOURCE_EXHAUSTED)
 * @param remembered  finished builds kept for Get, List, Log and Events (the oldest forgotten first)
 * @param maxEvents   events kept per build for Events' replay (older log and progress events dropped first)
 * @param maxLogLines log lines kept per build (the oldest dropped first, counted in {@code dropped})
 * @param buildTimeout the longest one build may run before it fails
 * @param maxModel    the largest file AddLayer accepts (RESOURCE_EXHAUSTED past it)
 * @param bundle      limits of an uploaded bundle
 * @param jib         the Jib builder
 * @param kaniko      the Kaniko builder ({@code dcf.build.kaniko.*}, used when {@code dcf.build.kaniko.enabled}
 *                    is true; docs/build-service.md, "Kaniko builds")
 */
@Validated
@ConfigurationProperties("dcf.build")
public record BuildProperties(
        @DefaultValue("31114") @Min(0) @Max(65535) int port,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @NotNull Path workDir,
        @DefaultValue("") String tokenFile,
        @DefaultValue("") String registry,
        @DefaultValue("2") @Min(1) int concurrency,
        @DefaultValue("16") @Min(0) int maxQueued,
        @DefaultValue("200") @Min(1) int remembered,
        @DefaultValue("5000") @Min(10) int maxEvents,
        @DefaultValue("5000") @Min(10) int maxLogLines,
        @DefaultValue("30m") @NotNull Duration buildTimeout,
        @DefaultValue("4GB") @NotNull DataSize maxModel,
        @DefaultValue @Valid Bundle bundle,
        @DefaultValue @Valid Jib jib,
        @DefaultValue KanikoSettings kaniko) {

    /**
     * Limits of one bundle (docs/build-service.md, "Limits").
     *
     * @param maxUpload   the largest bundle upload (compressed), RESOURCE_EXHAUSTED past it
     * @param maxBytes    the most bytes its files may expand to
     * @param maxEntries  the most files, directories and links it may hold
     * @param maxDepth    the deepest directory nesting it may hold
     */
    public record Bundle(
            @DefaultValue("256MB") @NotNull DataSize maxUpload,
            @DefaultValue("1GB") @NotNull DataSize maxBytes,
            @DefaultValue("20000") @Min(1) int maxEntries,
            @DefaultValue("32") @Min(1) int maxDepth) {
    }

    /**
     * The Jib builder (java and pure-Python functions, in process).
     *
     * @param javaBase          the java runtime's base: a registry reference or {@code tar:///path/base.tar}
     *                          (JRE at /opt/java/openjdk, watcher-java at /opt/dcf/watcher)
     * @param pythonBase        the python runtime's base (python3 with grpcio, the Python watcher)
     * @param insecureRegistries registries reached over plain HTTP (host:port), e.g. 127.0.0.1:5000
     * @param dockerConfig      a {@code .dockerconfigjson} file with registry credentials (a mounted
     *                          Secret); empty: anonymous. Never logged.
     * @param python            the Python whose pip installs requirements
     * @param pipArgs           extra pip arguments, e.g. {@code --no-index,--find-links=/wheels}
     * @param pipTimeout        the longest {@code pip install} may run
     */
    public record Jib(
            @DefaultValue("") String javaBase,
            @DefaultValue("") String pythonBase,
            @DefaultValue List<String> insecureRegistries,
            @DefaultValue("") String dockerConfig,
            @DefaultValue("python3") @NotBlank String python,
            @DefaultValue List<String> pipArgs,
            @DefaultValue("10m") @NotNull Duration pipTimeout) {
    }
}
