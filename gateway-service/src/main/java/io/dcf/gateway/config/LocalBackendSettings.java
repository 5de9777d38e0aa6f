package io.dcf.gateway.config;

import com.linecorp.armeria.common.annotation.Nullable;
import io.dcf.gateway.backend.local.HealthCheckSettings;
import io.dcf.gateway.backend.local.LocalFunctionBackend;
import io.dcf.gateway.backend.local.LocalSettings;
import io.dcf.gateway.backend.local.LogRotation;
import io.dcf.gateway.backend.local.RunAsResolver;
import io.dcf.gateway.backend.local.WatcherArchive;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Turns {@link GatewayProperties} into the local backend's settings, finding the watcher and runtimes. */
final class LocalBackendSettings {

    private LocalBackendSettings() {
    }

    static LocalSettings resolve(GatewayProperties props, int maxMessage) {
        GatewayProperties.Local local = props.local();
        Path home = props.home().toAbsolutePath();
        Path watcherJar = pick(local.watcherJar(), "dcf-watcher.jar", "../../watcher-java/target/dcf-watcher.jar",
                "watcher-java/target/dcf-watcher.jar");
        Path runtimesDir = pick(local.runtimesDir(), "runtimes", "../../runtimes", "runtimes");
        String java = local.java().isBlank()
                ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : local.java();
        List<String> jvmOptions = new ArrayList<>(Arrays.stream(local.replicaJvmOptions().split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList());
        // The one place Java replicas get their archive: every Java replica's command has these options.
        archive(local.watcherArchive(), watcherJar)
                .flatMap(archive -> WatcherArchive.jvmOption(archive, watcherJar, Path.of(java)))
                .ifPresent(jvmOptions::add);
        return new LocalSettings(home, watcherJar, runtimesDir, java,
                LocalSettings.pythonFinder(local.python(), System.getenv("DCF_PYTHON")), jvmOptions, props.defaultTimeout(),
                local.readyTimeout(), local.drainTimeout(), local.maxConcurrency(), maxMessage,
                local.restartBackoffMin(), local.restartBackoffMax(),
                RunAsResolver.resolve(local.runAs(), System.getenv(), currentUid(),
                        home, List.of(watcherJar, runtimesDir, Path.of(java))).withSecrets(local.replicaSecrets()),
                new HealthCheckSettings(local.health().interval(), local.health().timeout(),
                        local.health().unhealthyAfter(), local.health().ejection()),
                new LogRotation(local.logMaxSize().toBytes(), local.logFiles()),
                local.generationsKept(), local.warmPool());
    }

    /** The configured archive, {@code dcf-watcher.jsa} beside the watcher jar when empty, none for "none". */
    private static Optional<Path> archive(String configured, Path watcherJar) {
        if (configured.strip().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(configured.isBlank() ? watcherJar.resolveSibling(WatcherArchive.FILE_NAME)
                : Path.of(configured).toAbsolutePath());
    }

    /** The gateway's user id (the owner of /proc/self); -1 where there is no /proc. */
    private static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * The configured path, else the first candidate that exists: beside the gateway's
     * jar, in the source tree, or in the working directory.
     */
    private static Path pick(String configured, String besideJar, String inTree, String inWorkDir) {
        if (!configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        List<Path> candidates = new ArrayList<>();
        Path jarDir = jarDir();
        if (jarDir != null) {
            candidates.add(jarDir.resolve(besideJar));
            candidates.add(jarDir.resolve(inTree));
        }
        candidates.add(Path.of(inWorkDir));
        return candidates.stream().filter(Files::exists).findFirst().orElse(candidates.get(candidates.size() - 1))
                         .toAbsolutePath().normalize();
    }

    @Nullable
    private static Path jarDir() {
        try {
            Path location = Path.of(LocalFunctionBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
