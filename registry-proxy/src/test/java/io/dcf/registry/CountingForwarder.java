package io.dcf.registry;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.Server;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real forwarder between the proxy and the registry that records each request
 * ({@code "GET /v2/fn/blobs/sha256:..."}, query left off), so tests count what reached the
 * upstream. It changes nothing else: bodies stream through, headers pass as they are.
 */
final class CountingForwarder implements AutoCloseable {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Server server;

    CountingForwarder(String registryHost) {
        WebClient registry = WebClient.builder("h1c://" + registryHost).maxResponseLength(0).build();
        server = Server.builder()
                .http(new java.net.InetSocketAddress("127.0.0.1", 0))
                .maxRequestLength(0)
                .requestTimeoutMillis(0)
                .serviceUnder("/", (ctx, req) -> {
                    requests.add(req.method() + " " + ctx.path());
                    return registry.execute(req.withHeaders(req.headers().toBuilder()
                            .removeAndThen(HttpHeaderNames.AUTHORITY).build()));
                })
                .build();
        server.start().join();
    }

    String host() {
        return "127.0.0.1:" + server.activeLocalPort();
    }

    /** How many requests had {@code method} and a path starting with {@code pathPrefix}. */
    long count(String method, String pathPrefix) {
        String prefix = method + " " + pathPrefix;
        return requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
