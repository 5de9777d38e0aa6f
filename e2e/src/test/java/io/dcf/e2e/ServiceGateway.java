package io.dcf.e2e;

import io.dcf.proto.v1.GatewayGrpc;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An installed gateway called from the host through its Service's ClusterIP (kube-proxy makes it
 * reachable from the node), naming it by {@code host} in the {@code Host} header and gRPC
 * {@code :authority}: the gateway answers only to the names it allows (the chart allows the
 * Service's DNS names and gateway.allowedHosts). Every call has a deadline.
 */
final class ServiceGateway implements AutoCloseable {

    private static final Duration CALL = Duration.ofSeconds(60);

    private final String clusterIp;
    private final int port;
    private final String host;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ManagedChannel channel;

    ServiceGateway(String clusterIp, int port, String host, String token) {
        if (!"host".equals(System.getProperty("jdk.httpclient.allowRestrictedHeaders"))) {
            throw new IllegalStateException("the JDK's HTTP client sends a Host header only with "
                    + "-Djdk.httpclient.allowRestrictedHeaders=host (e2e/pom.xml sets it for failsafe)");
        }
        this.clusterIp = clusterIp;
        this.port = port;
        this.host = host;
        this.token = token;
        this.channel = NettyChannelBuilder.forAddress(clusterIp, port).usePlaintext()
                .overrideAuthority(host + ":" + port).build();
    }

    /** The same Service named by another host (the token stays). */
    ServiceGateway as(String otherHost) {
        return new ServiceGateway(clusterIp, port, otherHost, token);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String body, String contentType) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** dcf.v1.Gateway with the token, a deadline of {@code seconds}. */
    GatewayGrpc.GatewayBlockingStub grpc(long seconds) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return GatewayGrpc.newBlockingStub(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers))).withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + clusterIp + ":" + port + path))
                .timeout(CALL)
                .header("Host", host + ":" + port)
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
