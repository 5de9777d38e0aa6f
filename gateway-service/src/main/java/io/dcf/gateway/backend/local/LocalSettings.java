package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Resolved settings of the local backend.
 *
 * @param home            DCF_HOME
 * @param watcherJar      watcher-java's runnable jar
 * @param runtimesDir     the runtimes directory (holds the Python watcher)
 * @param java            the java executable for Java replicas
 * @param python          finds the Python for Python replicas (asked only when one is deployed)
 * @param jvmOptions      JVM options for Java replicas
 * @param defaultTimeout  the per-call timeout of functions that set none
 * @param readyTimeout    how long deploy and update wait for a new replica
 * @param drainTimeout    how long a stopping replica may finish its calls
 * @param maxConcurrency  calls one replica admits at once
 * @param maxMessageBytes the largest gRPC message between gateway and replica
 * @param backoffMin      the first restart delay
 * @param backoffMax      the longest restart delay
 * @param isolation       the environment replicas inherit and the user they run as
 * @param logRotation     how replica logs are rotated
 * @param generationsKept how many generations of each function keep their code on disk (the current one
 *                        included): the versions a rollback can go to
 * @param warmPool        generic watcher processes kept started per runtime (Java, Python) for new replicas
 *                        to take; 0 turns the warm pool off
 */
public record LocalSettings(Path home, Path watcherJar, Path runtimesDir, String java, Supplier<String> python,
                     List<String> jvmOptions, Duration defaultTimeout, Duration readyTimeout, Duration drainTimeout,
                     int maxConcurrency, int maxMessageBytes, Duration backoffMin, Duration backoffMax,
                     ReplicaIsolation isolation, HealthCheckSettings health, LogRotation logRotation,
                     int generationsKept, int warmPool) {
    public LocalSettings {
        if (generationsKept < 1) {
            throw new IllegalArgumentException("generationsKept: " + generationsKept + " (expected: >= 1)");
        }
        if (warmPool < 0) {
            throw new IllegalArgumentException("warmPool: " + warmPool + " (expected: >= 0)");
        }
        jvmOptions = List.copyOf(jvmOptions);
        requireNonNull(isolation, "isolation");
        requireNonNull(health, "health");
    }

    /**
     * The delay before a restart after {@code failuresInRow} failed starts or crashes (a replica's,
     * or the warm pool's processes'): the minimum, doubled per failure, up to the maximum.
     */
    long restartDelayMillis(int failuresInRow) {
        int shift = Math.max(0, Math.min(failuresInRow - 1, 20));
        return Math.min(backoffMax.toMillis(), backoffMin.toMillis() << shift);
    }

    /** Finds a Python that can import grpc, trying {@code configured}, {@code envPython}, then defaults. */
    public static Supplier<String> pythonFinder(String configured, String envPython) {
        return new PythonLocator(configured, envPython);
    }
}
