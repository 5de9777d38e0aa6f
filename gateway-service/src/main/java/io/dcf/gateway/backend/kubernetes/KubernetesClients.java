package io.dcf.gateway.backend.kubernetes;

import static java.util.Objects.requireNonNull;

import io.dcf.gateway.error.BackendUnavailableException;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The two API clients of the backend, from one configuration: a kubeconfig file when one
 * is named, else client-java's standard search ({@code KUBECONFIG}, {@code ~/.kube/config},
 * the pod's service account). {@link #requests} has the request timeout as its connect,
 * read and write deadline; {@link #streams} (watches, followed logs) has no read timeout,
 * since those streams are quiet for long: each sets its own deadline.
 */
public record KubernetesClients(ApiClient requests, ApiClient streams) {

    public KubernetesClients {
        requireNonNull(requests, "requests");
        requireNonNull(streams, "streams");
    }

    /** Clients for {@code kubeconfig} (empty: the standard search), with {@code timeout} per request. */
    public static KubernetesClients of(String kubeconfig, Duration timeout) {
        return new KubernetesClients(client(kubeconfig, timeout, timeout), client(kubeconfig, Duration.ZERO, timeout));
    }

    private static ApiClient client(String kubeconfig, Duration read, Duration connect) {
        ApiClient api;
        try {
            api = builder(kubeconfig).setReadTimeout(read).build();
        } catch (IOException | RuntimeException e) {
            throw new BackendUnavailableException("cannot configure the Kubernetes client from "
                    + (kubeconfig.isBlank() ? "KUBECONFIG, ~/.kube/config or the pod's service account"
                    : "dcf.gateway.kubernetes.kubeconfig=" + kubeconfig) + ": " + e.getMessage());
        }
        api.setConnectTimeout((int) connect.toMillis());
        api.setWriteTimeout((int) connect.toMillis());
        return api;
    }

    private static ClientBuilder builder(String kubeconfig) throws IOException {
        if (kubeconfig.isBlank()) {
            return ClientBuilder.standard();
        }
        Path file = Path.of(kubeconfig).toAbsolutePath();
        try (Reader reader = Files.newBufferedReader(file)) {
            KubeConfig config = KubeConfig.loadKubeConfig(reader);
            config.setFile(file.toFile());
            return ClientBuilder.kubeconfig(config);
        }
    }
}
