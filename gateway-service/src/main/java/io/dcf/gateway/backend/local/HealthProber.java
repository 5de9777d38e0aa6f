package io.dcf.gateway.backend.local;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks a replica's grpc.health.v1 service whether it serves. Non-blocking, with a deadline. */
final class HealthProber {

    private static final long DEADLINE_MS = 2_000;

    /** Completes with true when the replica on {@code port} answers SERVING, false otherwise. */
    CompletableFuture<Boolean> serving(int port) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        HealthGrpc.HealthStub stub = GrpcClients.builder("h2c://127.0.0.1:" + port)
                .responseTimeoutMillis(0)
                .build(HealthGrpc.HealthStub.class)
                .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
        stub.check(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse value) {
                result.complete(value.getStatus() == HealthCheckResponse.ServingStatus.SERVING);
            }

            @Override
            public void onError(Throwable t) {
                result.complete(false);
            }

            @Override
            public void onCompleted() {
                result.complete(false);
            }
        });
        return result;
    }
}
