package io.dcf.gateway.backend.local;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.proto.v1.LoadReply;
import io.dcf.proto.v1.LoadRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Sends a pooled watcher its one {@code dcf.v1.Watcher/Load}, with a deadline; non-blocking. */
final class LoadClient {

    private LoadClient() {
    }

    /**
     * Loads {@code request} into the pooled watcher on 127.0.0.1:{@code port}; completes with its
     * reply, or exceptionally with the watcher's status (or DEADLINE_EXCEEDED past {@code deadline}).
     */
    static CompletableFuture<LoadReply> load(int port, String secret, LoadRequest request, Duration deadline) {
        // Its own factory (on Armeria's shared event loops), closed once the one call has ended.
        ClientFactory factory = ClientFactory.builder().build();
        GrpcClientBuilder builder = GrpcClients.builder("h2c://127.0.0.1:" + port).factory(factory)
                .responseTimeoutMillis(0); // the call carries its own gRPC deadline
        if (!secret.isEmpty()) {
            builder.addHeader(Endpoint.SECRET_HEADER, secret);
        }
        CompletableFuture<LoadReply> result = new CompletableFuture<>();
        builder.build(WatcherGrpc.WatcherStub.class)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .load(request, new StreamObserver<>() {
                    @Override
                    public void onNext(LoadReply value) {
                        result.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        result.completeExceptionally(new IllegalStateException("Load ended without a reply"));
                    }
                });
        result.whenComplete((reply, error) -> factory.closeAsync());
        return result;
    }
}
