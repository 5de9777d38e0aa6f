package io.dcf.build.kaniko;

import static java.util.Objects.requireNonNull;

import io.dcf.proto.FunctionNames;
import io.kubernetes.client.custom.Quantity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Kaniko builds run ({@code dcf.build.kaniko.*}; docs/build-service.md, "Kaniko builds").
 *
 * @param namespace         where build Jobs run (build-service's Role must allow Jobs and pods there)
 * @param executorImage     the Kaniko executor; default the maintained fork (upstream kaniko was
 *                          archived in 2025)
 * @param fetcherImage      the init container that fetches the context: needs {@code sh}, {@code wget}
 *                          and {@code tar} with gzip (busybox)
 * @param contextUrl        the base URL build pods fetch contexts from: build-service's in-cluster
 *                          Service address, e.g. {@code http://dcf-build-service.dcf.svc:8080}
 * @param contextTokenTtl   how long a context's one-time token stays valid when unused
 * @param activeDeadline    the Job's {@code activeDeadlineSeconds}: a build running longer fails
 * @param ttlAfterFinished  the Job's {@code ttlSecondsAfterFinished}: the cluster's cleanup when
 *                          build-service could not delete the Job itself
 * @param keepFinishedJobs  true: a finished Job is left for its TTL (to inspect it); false: deleted
 *                          as soon as its result is read
 * @param registrySecret    a {@code kubernetes.io/dockerconfigjson} Secret in {@code namespace} mounted
 *                          as the executor's {@code /kaniko/.docker/config.json}; empty: none
 * @param insecureRegistries registries pushed to and pulled from over plain HTTP ({@code --insecure-registry})
 * @param executor          the executor container's resources
 * @param fetcher           the fetcher container's resources
 * @param pollInterval      how often the Job's pod is looked at
 * @param requestTimeout    the deadline of each Kubernetes API request
 */
public record KanikoSettings(
        @DefaultValue("dcf-build") String namespace,
        @DefaultValue(EXECUTOR_IMAGE) String executorImage,
        @DefaultValue(FETCHER_IMAGE) String fetcherImage,
        @DefaultValue("") String contextUrl,
        @DefaultValue("10m") Duration contextTokenTtl,
        @DefaultValue("30m") Duration activeDeadline,
        @DefaultValue("10m") Duration ttlAfterFinished,
        @DefaultValue("false") boolean keepFinishedJobs,
        @DefaultValue("") String registrySecret,
        @DefaultValue("") List<String> insecureRegistries,
        @DefaultValue ContainerResources executor,
        @DefaultValue ContainerResources fetcher,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("30s") Duration requestTimeout) {

    /** The maintained Kaniko fork (GoogleContainerTools/kaniko was archived in 2025). */
    public static final String EXECUTOR_IMAGE = "ghcr.io/osscontainertools/kaniko:v1.28.3";
    /** A small public image with sh, wget and tar. */
    public static final String FETCHER_IMAGE = "docker.io/library/busybox:1.37.0";

    public KanikoSettings {
        requireNonNull(namespace, "namespace");
        requireNonNull(executorImage, "executorImage");
        requireNonNull(fetcherImage, "fetcherImage");
        requireNonNull(contextUrl, "contextUrl");
        requireNonNull(registrySecret, "registrySecret");
        insecureRegistries = insecureRegistries == null ? List.of()
                : insecureRegistries.stream().filter(r -> !r.isBlank()).toList();
        executor = executor == null ? ContainerResources.NONE : executor;
        fetcher = fetcher == null ? ContainerResources.NONE : fetcher;
        if (!FunctionNames.isValid(namespace)) {
            throw invalid("namespace", namespace, "a DNS-1123 label");
        }
        if (executorImage.isBlank() || fetcherImage.isBlank()) {
            throw invalid(executorImage.isBlank() ? "executorImage" : "fetcherImage", "", "an image reference");
        }
        if (!contextUrl.isEmpty() && !contextUrl.matches("https?://[^/?#]+(/[^?#]*)?")) {
            throw invalid("contextUrl", contextUrl, "http://host:port[/path], build-service's in-cluster address");
        }
        positive("contextTokenTtl", contextTokenTtl);
        positive("activeDeadline", activeDeadline);
        positive("pollInterval", pollInterval);
        positive("requestTimeout", requestTimeout);
        requireNonNull(ttlAfterFinished, "ttlAfterFinished");
        if (ttlAfterFinished.isNegative()) {
            throw invalid("ttlAfterFinished", ttlAfterFinished.toString(), ">= 0");
        }
        if (!registrySecret.isEmpty() && !registrySecret.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw invalid("registrySecret", registrySecret, "the name of a Secret, a DNS-1123 subdomain");
        }
    }

    /** The defaults, building in {@code namespace} with contexts fetched from {@code contextUrl}. */
    public static KanikoSettings defaults(String namespace, String contextUrl) {
        return new KanikoSettings(namespace, EXECUTOR_IMAGE, FETCHER_IMAGE, contextUrl, Duration.ofMinutes(10),
                Duration.ofMinutes(30), Duration.ofMinutes(10), false, "", List.of(), ContainerResources.NONE,
                ContainerResources.NONE, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** The context URL's base without a trailing slash. */
    URI contextBase() {
        return URI.create(contextUrl.endsWith("/") ? contextUrl.substring(0, contextUrl.length() - 1) : contextUrl);
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw invalid(name, value.toString(), "> 0");
        }
    }

    static IllegalArgumentException invalid(String name, String value, String expected) {
        return new IllegalArgumentException("dcf.build.kaniko." + name + ": '" + value + "' (expected: " + expected + ")");
    }

    /**
     * A container's requests and limits; an empty field sets nothing.
     *
     * @param cpuRequest    e.g. {@code 500m}
     * @param memoryRequest e.g. {@code 1Gi}
     * @param cpuLimit      e.g. {@code 2}
     * @param memoryLimit   e.g. {@code 4Gi}
     */
    public record ContainerResources(@DefaultValue("") String cpuRequest, @DefaultValue("") String memoryRequest,
                                     @DefaultValue("") String cpuLimit, @DefaultValue("") String memoryLimit) {

        /** No requests, no limits. */
        public static final ContainerResources NONE = new ContainerResources("", "", "", "");

        public ContainerResources {
            cpuRequest = quantity("cpuRequest", cpuRequest);
            memoryRequest = quantity("memoryRequest", memoryRequest);
            cpuLimit = quantity("cpuLimit", cpuLimit);
            memoryLimit = quantity("memoryLimit", memoryLimit);
        }

        private static String quantity(String name, String value) {
            if (value == null || value.isBlank()) {
                return "";
            }
            try {
                Quantity.fromString(value);
            } catch (RuntimeException e) { // QuantityFormatException, NumberFormatException
                throw invalid(name, value, "a Kubernetes quantity such as 500m or 1Gi");
            }
            return value.strip();
        }
    }
}
