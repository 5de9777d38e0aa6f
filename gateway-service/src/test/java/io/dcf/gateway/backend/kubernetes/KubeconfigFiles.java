package io.dcf.gateway.backend.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig file naming one API server (the mock's, through {@link WatchBridge}), for gateways started whole. */
final class KubeconfigFiles {

    private KubeconfigFiles() {
    }

    /** Writes {@code dir/kubeconfig} pointing at {@code server}, with a token the mock does not check. */
    static Path write(Path dir, String server) throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context: {cluster: mock, user: gateway}
                current-context: mock
                users:
                - name: gateway
                  user: {token: not-checked-by-the-mock}
                """.formatted(server));
    }
}
