package io.dcf.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay from the pod network to the API server, for in-cluster clients on the test cluster:
 * its API server listens on 127.0.0.1 only, so the {@code kubernetes} Service has no endpoints and
 * pods cannot reach it (../shared/kube/README.md). The relay listens on the node's bridge address
 * (10.244.0.1, which pods reach) and passes bytes through untouched: TLS stays end to end between
 * the pod and the API server, whose certificate names {@code kubernetes.default.svc}, so a pod
 * maps that name to the relay (hostAliases) and sets KUBERNETES_SERVICE_HOST/PORT to it.
 */
final class ApiServerRelay implements AutoCloseable {

    /** The node's address on the pod bridge (cni0). */
    static final String NODE_BRIDGE_IP = "10.244.0.1";
    /** A name in the API server's certificate. */
    static final String API_SERVER_NAME = "kubernetes.default.svc";

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-server-relay");
        t.setDaemon(true);
        return t;
    });

    private ApiServerRelay(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** Relays {@code NODE_BRIDGE_IP:<free port>} to the API server at {@code basePath} (https://host:port). */
    static ApiServerRelay start(String basePath) throws IOException {
        URI uri = URI.create(basePath);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(NODE_BRIDGE_IP));
        ApiServerRelay relay = new ApiServerRelay(server, new InetSocketAddress(uri.getHost(), uri.getPort()));
        relay.threads.execute(relay::accept);
        return relay;
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket downstream = server.accept();
                open.add(downstream);
                Socket up = new Socket();
                open.add(up);
                up.connect(upstream, 10_000);
                threads.execute(() -> pipe(downstream, up));
                threads.execute(() -> pipe(up, downstream));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.getLogger(ApiServerRelay.class.getName()).log(System.Logger.Level.WARNING,
                            "API server relay: {0}", e.toString());
                }
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the other direction closed the pair
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(ApiServerRelay::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
