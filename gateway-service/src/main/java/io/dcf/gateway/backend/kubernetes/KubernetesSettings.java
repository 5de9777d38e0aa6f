package io.dcf.gateway.backend.kubernetes;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.v1.Resources;
import io.kubernetes.client.custom.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Kubernetes backend's objects take from the gateway rather than from a
 * function's spec. The backend fills it from {@code dcf.gateway.kubernetes.*} and reads
 * the API server's version once to set {@code grpcProbes}.
 *
 * @param namespace        where functions run ({@code dcf-fn} by default)
 * @param defaultTimeout   a call's limit for functions whose spec sets none
 * @param maxConcurrency   calls (and open streams) one pod admits at once
 * @param drainTimeout     how long calls in flight may finish after SIGTERM
 * @param maxMessageBytes  the largest gRPC message a watcher accepts or sends
 * @param imagePullSecrets Secrets (in {@code namespace}) every function pod pulls its image with
 * @param imagePullPolicy  {@code Always} (the default: an update with an unchanged tag pulls the
 *                         image again), {@code IfNotPresent} or {@code Never}
 * @param grpcProbes       whether the API server runs gRPC probes (Kubernetes 1.24 and later);
 *                         TCP probes on the watcher's port otherwise
 * @param defaultRequests  requests for a function whose spec leaves a field empty
 * @param defaultLimits    limits for a function whose spec leaves a field empty
 */
public record KubernetesSettings(String namespace, Duration defaultTimeout, int maxConcurrency, Duration drainTimeout,
                                 int maxMessageBytes, List<String> imagePullSecrets, String imagePullPolicy,
                                 boolean grpcProbes, Resources defaultRequests, Resources defaultLimits) {

    /** The first Kubernetes version that runs gRPC probes by default (beta in 1.24, GA in 1.27). */
    public static final int GRPC_PROBES_MINOR = 24;
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");

    public KubernetesSettings {
        requireNonNull(namespace, "namespace");
        requireNonNull(defaultTimeout, "defaultTimeout");
        requireNonNull(drainTimeout, "drainTimeout");
        requireNonNull(imagePullPolicy, "imagePullPolicy");
        requireNonNull(defaultRequests, "defaultRequests");
        requireNonNull(defaultLimits, "defaultLimits");
        imagePullSecrets = List.copyOf(imagePullSecrets);
        if (!KubernetesNames.isDns1123Label(namespace)) {
            throw new IllegalArgumentException("namespace: '" + namespace + "' (expected: a DNS-1123 label)");
        }
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout: " + defaultTimeout + " (expected: > 0)");
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout: " + drainTimeout + " (expected: >= 0)");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency: " + maxConcurrency + " (expected: >= 1)");
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " (expected: >= 1)");
        }
        if (!PULL_POLICIES.contains(imagePullPolicy)) {
            throw new IllegalArgumentException("imagePullPolicy: '" + imagePullPolicy
                    + "' (expected one of: Always, IfNotPresent, Never)");
        }
        checkQuantities("defaultRequests", defaultRequests);
        checkQuantities("defaultLimits", defaultLimits);
        for (String secret : imagePullSecrets) {
            if (!KubernetesNames.isDns1123Subdomain(secret)) {
                throw new IllegalArgumentException("imagePullSecrets: '" + secret + "' (expected: "
                        + KubernetesNames.SUBDOMAIN_RULE + ")");
            }
        }
    }

    /**
     * The gateway's defaults in {@code namespace}: 30 s timeout, 64 calls, 10 s drain, 16 MiB
     * messages, no pull secrets, {@code Always}, TCP probes, no default resources.
     */
    public static KubernetesSettings defaults(String namespace) {
        return new KubernetesSettings(namespace, Duration.ofSeconds(30), 64, Duration.ofSeconds(10), 16 << 20,
                List.of(), "Always", false, Resources.getDefaultInstance(), Resources.getDefaultInstance());
    }

    /** The same settings with gRPC probes on or off. */
    public KubernetesSettings withGrpcProbes(boolean grpc) {
        return new KubernetesSettings(namespace, defaultTimeout, maxConcurrency, drainTimeout, maxMessageBytes,
                imagePullSecrets, imagePullPolicy, grpc, defaultRequests, defaultLimits);
    }

    /**
     * Whether an API server of this version (its {@code /version} {@code major} and
     * {@code minor}, which some providers suffix, as in {@code "20+"}) runs gRPC probes.
     * A version that cannot be read answers false: TCP probes work everywhere.
     */
    public static boolean grpcProbesSupported(String major, String minor) {
        int maj = leadingNumber(major);
        int min = leadingNumber(minor);
        if (maj < 0 || min < 0) {
            return false;
        }
        return maj > 1 || maj == 1 && min >= GRPC_PROBES_MINOR;
    }

    private static void checkQuantities(String field, Resources resources) {
        String[][] values = {
            {"cpu", resources.getCpu()}, {"memory", resources.getMemory()}, {"gpu", resources.getGpu()}};
        for (String[] v : values) {
            if (!v[1].isBlank()) {
                try {
                    Quantity.fromString(v[1].trim());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(field + "." + v[0] + ": '" + v[1]
                            + "' (expected: a Kubernetes quantity, such as 500m or 512Mi)");
                }
            }
        }
        if (!resources.getGpu().isBlank()) {
            throw new IllegalArgumentException(field + ".gpu: '" + resources.getGpu()
                    + "' (expected: empty; GPUs are asked for by each function)");
        }
    }

    private static int leadingNumber(String s) {
        if (s == null) {
            return -1;
        }
        Matcher m = LEADING_NUMBER.matcher(s.trim());
        return m.find() && m.group(1).length() < 6 ? Integer.parseInt(m.group(1)) : -1;
    }
}
