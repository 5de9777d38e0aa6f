package io.dcf.gateway.backend.kubernetes;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The Kubernetes backend's own settings, beside what its objects are built from.
 *
 * @param objects      what each function's Deployment and Service are built from (namespace, ...)
 * @param watcherPort  the port the gateway calls pods on: the watcher's container port, 50051 (another
 *                     value only where pods are not real containers, as in tests)
 * @param readyTimeout how long a deploy or update waits for a ready pod of the new generation
 * @param watchTimeout how long one watch of the informers lasts before it is renewed
 * @param ejection     how long an endpoint whose calls failed in a row stays out of its route
 */
public record KubernetesBackendSettings(KubernetesSettings objects, int watcherPort, Duration readyTimeout,
                                        Duration watchTimeout, Duration ejection) {
    public KubernetesBackendSettings {
        requireNonNull(objects, "objects");
        if (watcherPort < 1 || watcherPort > 65535) {
            throw new IllegalArgumentException("watcherPort: " + watcherPort + " (expected: 1-65535)");
        }
        requireNonNull(readyTimeout, "readyTimeout");
        requireNonNull(watchTimeout, "watchTimeout");
        requireNonNull(ejection, "ejection");
    }

    String namespace() {
        return objects.namespace();
    }

    /** The same settings with the spec builders' settings replaced. */
    KubernetesBackendSettings withObjects(KubernetesSettings newObjects) {
        return new KubernetesBackendSettings(newObjects, watcherPort, readyTimeout, watchTimeout, ejection);
    }
}
