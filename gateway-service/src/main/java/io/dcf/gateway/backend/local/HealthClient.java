package io.dcf.gateway.backend.local;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The grpc.health.v1 client of one replica process: one connection, reused by every
 * probe, closed with {@link #close()} when the process is gone. Non-blocking.
 */
final class HealthClient implements AutoCloseable {

    /** One probe's answer: serving, or why not (for the replica's status message). */
    record Answer(boolean serving, boolean answered, String problem) {
        static final Answer SERVING = new Answer(true, true, "");
    }

    private final ClientFactory factory;
    private final HealthGrpc.HealthStub stub;

    HealthClient(int port) {
        // Its own factory (on Armeria's shared event loops), so close() closes this replica's connection.
        this.factory = ClientFactory.builder().build();
        this.stub = GrpcClients.builder("h2c://127.0.0.1:" + port)
                .factory(factory)
                .responseTimeoutMillis(0) // every probe carries its own gRPC deadline
                .build(HealthGrpc.HealthStub.class);
    }

    /** Asks once, with {@code deadline}; never completes exceptionally. */
    CompletableFuture<Answer> check(Duration deadline) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .check(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(HealthCheckResponse value) {
                    result.complete(value.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? Answer.SERVING
                            : new Answer(false, true, "health answers " + value.getStatus()));
                }

                @Override
                public void onError(Throwable t) {
                    Status.Code code = Status.fromThrowable(t).getCode();
                    result.complete(new Answer(false, false, code == Status.Code.DEADLINE_EXCEEDED
                            ? "no health answer within " + deadline.toMillis() + " ms"
                            : "health check failed: " + code));
                }

                @Override
                public void onCompleted() {
                    result.complete(new Answer(false, true, "health check gave no answer"));
                }
            });
        return result;
    }

    @Override
    public void close() {
        factory.closeAsync();
    }
}
