package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verdicts of {@link ReplicaHealth} against a real health server on a loopback port. */
class ReplicaHealthTest {

    /** What the server answers: a status, or nothing at all (null: like a stopped process). */
    private volatile ServingStatus answer = ServingStatus.SERVING;
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Server server;
    private ReplicaHealth health;

    @BeforeEach
    void start() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> reply) {
                        ServingStatus now = answer;
                        if (now != null) {
                            reply.onNext(HealthCheckResponse.newBuilder().setStatus(now).build());
                            reply.onCompleted();
                        }
                    }
                }).build().start();
        health = new ReplicaHealth(server.getPort(), HealthCheckSettings.defaults(), scheduler, (verdict, why) -> changes.add(verdict + " " + why));
        health.watch();
    }

    @AfterEach
    void stop() throws InterruptedException {
        health.close();
        scheduler.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void notServing_takesItOutAtOnce_andServingPutsItBack() {
        answer = ServingStatus.NOT_SERVING;
        await().atMost(Duration.ofSeconds(30)).until(() -> !changes.isEmpty());
        assertThat(changes.get(0)).isEqualTo("NOT_READY out of rotation: health answers NOT_SERVING");

        answer = ServingStatus.SERVING;
        await().atMost(Duration.ofSeconds(30)).until(() -> changes.size() == 2);
        assertThat(changes.get(1)).isEqualTo("READY ");
    }

    @Test
    void noAnswer_takesItOutAfterTwoChecksInARow() {
        answer = null;
        await().atMost(Duration.ofSeconds(30)).until(() -> !changes.isEmpty());
        assertThat(changes).containsExactly(
                "NOT_READY out of rotation: no health answer within 500 ms (2 checks in a row)");
    }

    @Test
    void ejected_staysOutForTheEjectionTime_thenComesBackWhenServing() {
        long ejectedAt = System.nanoTime();
        health.eject("3 calls in a row failed");
        health.eject("again"); // ignored: not READY any more

        await().atMost(Duration.ofSeconds(30)).until(() -> changes.size() == 2);
        assertThat(changes.get(0)).isEqualTo("EJECTED ejected: 3 calls in a row failed; re-probed every 1000 ms,"
                + " back when its health answers SERVING");
        assertThat(changes.get(1)).isEqualTo("READY ");
        assertThat(Duration.ofNanos(System.nanoTime() - ejectedAt)).isGreaterThanOrEqualTo(HealthCheckSettings.defaults().ejection());
    }

    @Test
    void closed_reportsNothingMore() {
        health.close();
        answer = ServingStatus.NOT_SERVING;
        health.eject("after close");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(changes::isEmpty);
    }

    @Test
    void settings_aTimeoutNotBelowTheInterval_isRefusedNamingBoth() {
        assertThatThrownBy(() -> new HealthCheckSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 2,
                Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("health timeout: PT1S (expected: > 0 and < the interval PT1S)");
    }
}
