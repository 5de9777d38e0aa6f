package io.dcf.e2e;

import io.dcf.common.FileTrees;
import io.dcf.gateway.GatewayApplication;
import io.dcf.proto.v1.GatewayGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway in this JVM with {@code dcf.gateway.backend=kubernetes}, outside the cluster with the
 * kubeconfig, on a namespace of its own: {@link #start} creates the namespace, {@link #close} stops
 * the gateway and deletes the namespace (and with it every function left). Every gRPC call sends the
 * gateway's token.
 */
final class KubernetesGateway implements AutoCloseable {

    private final String namespace;
    private final String token = "e2e-" + UUID.randomUUID();
    private final List<String> settings;
    private Path home;
    private ConfigurableApplicationContext gateway;
    private ManagedChannel channel;
    private int port;

    private KubernetesGateway(String namespace, List<String> settings) {
        this.namespace = namespace;
        this.settings = settings;
    }

    /**
     * Creates a namespace named {@code namespacePrefix} + 8 random characters and starts the
     * gateway on it, with {@code settings} ({@code --dcf.gateway.…=…}) added to the backend's own.
     */
    static KubernetesGateway start(String namespacePrefix, String... settings) throws Exception {
        String namespace = namespacePrefix + UUID.randomUUID().toString().substring(0, 8);
        Cluster.get().core().createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace)))
                .execute();
        KubernetesGateway gateway = new KubernetesGateway(namespace, List.of(settings));
        try {
            gateway.startGateway();
        } catch (Exception | Error e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** The settings of a gateway with the Kubernetes backend on {@code namespace}, in {@code home}. */
    static List<String> backendSettings(String namespace, Path home) {
        return List.of(
                "--dcf.gateway.port=0",
                "--dcf.gateway.home=" + home,
                "--dcf.gateway.backend=kubernetes",
                "--dcf.gateway.kubernetes.namespace=" + namespace,
                "--dcf.gateway.kubernetes.kubeconfig=" + Cluster.kubeconfig(),
                "--dcf.gateway.kubernetes.ready-timeout=180s");
    }

    /** Stops this gateway and starts another on the same namespace; the functions keep running. */
    void restart() throws Exception {
        stopGateway();
        startGateway();
    }

    String namespace() {
        return namespace;
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** dcf.v1.Gateway, blocking, with the token and a deadline of {@code seconds}. */
    GatewayGrpc.GatewayBlockingStub grpc(long seconds) {
        return GatewayGrpc.newBlockingStub(channel).withInterceptors(token())
                .withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    /** dcf.v1.Gateway, asynchronous (for client streams), with the token and a deadline of {@code seconds}. */
    GatewayGrpc.GatewayStub async(long seconds) {
        return GatewayGrpc.newStub(channel).withInterceptors(token()).withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    private ClientInterceptor token() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private void startGateway() throws Exception {
        home = Files.createTempDirectory("dcf-e2e-home");
        List<String> args = new ArrayList<>(backendSettings(namespace, home));
        args.add("--dcf.gateway.auth.token=" + token);
        args.addAll(settings);
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(args.toArray(String[]::new));
        port = gateway.getBean(com.linecorp.armeria.server.Server.class).activeLocalPort();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private void stopGateway() throws Exception {
        try {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                channel = null;
            }
        } finally {
            try {
                if (gateway != null) {
                    gateway.close();
                    gateway = null;
                }
            } finally {
                if (home != null) {
                    FileTrees.delete(home);
                    home = null;
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopGateway();
        } finally {
            Cluster.get().core().deleteNamespace(namespace).execute();
        }
    }
}
