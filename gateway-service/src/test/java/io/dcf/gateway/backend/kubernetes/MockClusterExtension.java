package io.dcf.gateway.backend.kubernetes;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's mock cluster: fabric8's mock API server in CRUD mode answering as a 1.20
 * API server, the {@link WatchBridge} client-java's watches need, and the {@link MockCluster}
 * that plays the controllers and kubelet. Register it as a static field
 * ({@code @RegisterExtension static final MockClusterExtension mock = new MockClusterExtension();});
 * its server is up before the class's own {@code @BeforeAll} methods run (which may add
 * expectations), and every backend made by {@link #backend} is closed after each test.
 */
final class MockClusterExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final List<KubernetesFunctionBackend> backends = new CopyOnWriteArrayList<>();
    private KubernetesMockServer server;
    private NamespacedKubernetesClient client;
    private WatchBridge bridge;
    private MockCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
        MockCluster.answerVersion(server);
        bridge = new WatchBridge(client.getMasterUrl().toString());
        cluster = new MockCluster(client, bridge);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        backends.forEach(KubernetesFunctionBackend::close);
        backends.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            bridge.close();
        } finally {
            client.close();
            server.destroy();
        }
    }

    KubernetesMockServer server() {
        return server;
    }

    NamespacedKubernetesClient client() {
        return client;
    }

    MockCluster cluster() {
        return cluster;
    }

    /** A backend on {@code namespace} of the mock, closed after the current test. */
    KubernetesFunctionBackend backend(String namespace, int watcherPort, Duration readyTimeout) {
        KubernetesFunctionBackend backend = cluster.backend(namespace, watcherPort, readyTimeout);
        backends.add(backend);
        return backend;
    }
}
