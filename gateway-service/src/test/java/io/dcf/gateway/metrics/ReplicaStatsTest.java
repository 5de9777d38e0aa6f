package io.dcf.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.invoke.WatcherClients;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.StatsReply;
import io.dcf.proto.v1.StatsRequest;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ReplicaStats against real gRPC servers on 127.0.0.1 playing replicas: one answers, one never does, one is gone. */
class ReplicaStatsTest {

    private static final Metadata.Key<String> SECRET =
            Metadata.Key.of("dcf-replica-secret", Metadata.ASCII_STRING_MARSHALLER);

    private final List<Server> servers = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Routes routes = new Routes();
    private ReplicaStats stats;

    @AfterEach
    void stop() throws InterruptedException {
        if (stats != null) {
            stats.close();
        }
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A resolver whose routes the test sets, telling its listeners as the backends do. */
    private static final class Routes implements EndpointResolver {
        final Map<String, List<Endpoint>> endpoints = new ConcurrentHashMap<>();
        final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Route route(String function) {
            List<Endpoint> e = endpoints.get(function);
            if (e == null) {
                throw new FunctionNotFoundException(function);
            }
            return new Route(FunctionSpec.newBuilder().setName(function).build(), e);
        }

        @Override
        public void onRouteChange(Consumer<String> listener) {
            listeners.add(listener);
        }

        void set(String function, List<Endpoint> e) {
            endpoints.put(function, e);
            listeners.forEach(l -> l.accept(function));
        }
    }

    /** A replica answering Stats with {@code inflight}'s current value, counting the asks that carried {@code secret}. */
    private Endpoint answering(String pod, String secret, AtomicInteger inflight, AtomicInteger asksWithSecret)
            throws IOException {
        WatcherGrpc.WatcherImplBase watcher = new WatcherGrpc.WatcherImplBase() {
            @Override
            public void stats(StatsRequest request, StreamObserver<StatsReply> reply) {
                reply.onNext(StatsReply.newBuilder().setInflight(inflight.get()).setCalls(5).setErrors(1)
                        .setLatencySecondsSum(2.5).setMaxConcurrency(4).build());
                reply.onCompleted();
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(watcher, new io.grpc.ServerInterceptor() {
                    @Override
                    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call,
                            Metadata headers, io.grpc.ServerCallHandler<Q, R> next) {
                        String sent = headers.get(SECRET);
                        if (!secret.equals(sent == null ? "" : sent)) {
                            call.close(Status.UNAUTHENTICATED, new Metadata());
                            return new io.grpc.ServerCall.Listener<>() { };
                        }
                        asksWithSecret.incrementAndGet();
                        return Contexts.interceptCall(Context.current(), call, headers, next);
                    }
                })).build().start();
        servers.add(server);
        return new Endpoint("127.0.0.1", server.getPort(), secret, "ns1", pod);
    }

    /** A replica that takes every ask and never answers. */
    private Endpoint silent(String pod) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new WatcherGrpc.WatcherImplBase() {
                    @Override
                    public void stats(StatsRequest request, StreamObserver<StatsReply> reply) {
                        // held: only the gateway's deadline ends it
                    }
                }).build().start();
        servers.add(server);
        return new Endpoint("127.0.0.1", server.getPort(), "", "ns1", pod);
    }

    private static Endpoint gone(String pod) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Endpoint("127.0.0.1", socket.getLocalPort(), "", "ns1", pod);
        }
    }

    private Gauge inflightGauge(String function, String pod) {
        return registry.find("dcf.replica.inflight")
                .tags("function_name", function, "namespace", "ns1", "pod", pod).gauge();
    }

    /** Asks every {@code interval}, each ask with a deadline of 10 s: longer than the silent replica's asks live here. */
    private void start(Duration interval) {
        stats = new ReplicaStats(routes, () -> List.copyOf(routes.endpoints.keySet()), new WatcherClients(1 << 20),
                registry, interval, Duration.ofSeconds(10)).start();
    }

    @Test
    void answeringReplica_hasItsSeries_whileSilentAndGoneOnesHoldNobodyUp() throws IOException {
        AtomicInteger inflight = new AtomicInteger(3);
        AtomicInteger asks = new AtomicInteger();
        Endpoint busy = answering("fn-a", "s3cret", inflight, asks);
        Endpoint stuck = silent("fn-b");
        Endpoint dead = gone("fn-c");
        routes.set("fn", List.of(stuck, dead, busy));
        start(Duration.ofMillis(200));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(inflightGauge("fn", "fn-a")).isNotNull();
            assertThat(inflightGauge("fn", "fn-a").value()).isEqualTo(3.0);
        });
        assertThat(asks.get()).isPositive(); // every ask carried the replica's secret (others were refused)
        assertThat(registry.find("dcf.replica.max.concurrency").tags("pod", "fn-a").gauge().value()).isEqualTo(4.0);
        assertThat(registry.find("dcf.replica.calls").tags("pod", "fn-a").functionTimer().count()).isEqualTo(5.0);
        assertThat(registry.find("dcf.replica.calls").tags("pod", "fn-a").functionTimer().totalTime(TimeUnit.SECONDS))
                .isEqualTo(2.5);
        assertThat(registry.find("dcf.replica.errors").tags("pod", "fn-a").functionCounter().count()).isEqualTo(1.0);
        assertThat(stats.reportedInflight(busy)).hasValue(3);

        // later answers show while the silent replica's first ask still waits for its 10 s deadline
        inflight.set(8);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(inflightGauge("fn", "fn-a").value()).isEqualTo(8.0);
            assertThat(stats.reportedInflight(busy)).hasValue(8);
        });
        assertThat(inflightGauge("fn", "fn-b")).isNull();
        assertThat(inflightGauge("fn", "fn-c")).isNull();
        assertThat(stats.reportedInflight(stuck)).isEmpty();
        assertThat(stats.reportedInflight(dead)).isEmpty();
    }

    @Test
    void replicaLeavingTheRoute_dropsItsSeries_atTheRouteChange() throws IOException {
        AtomicInteger asks = new AtomicInteger();
        Endpoint a = answering("fn-a", "", new AtomicInteger(1), asks);
        Endpoint b = answering("fn-b", "", new AtomicInteger(2), asks);
        routes.set("fn", List.of(a, b));
        start(Duration.ofHours(1)); // only the first poll and route changes: nothing waits for an interval

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(inflightGauge("fn", "fn-a")).isNotNull();
            assertThat(inflightGauge("fn", "fn-b")).isNotNull();
        });

        routes.set("fn", List.of(b));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inflightGauge("fn", "fn-a")).isNull());
        assertThat(inflightGauge("fn", "fn-b").value()).isEqualTo(2.0);
        assertThat(stats.reportedInflight(a)).isEmpty();

        Endpoint c = answering("fn-c", "", new AtomicInteger(5), asks);
        routes.set("fn", List.of(b, c)); // a new replica is asked at the change, not an hour later
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(inflightGauge("fn", "fn-c")).isNotNull());
        assertThat(inflightGauge("fn", "fn-c").value()).isEqualTo(5.0);

        stats.close();
        assertThat(registry.find("dcf.replica.inflight").gauges()).isEmpty();
        assertThat(registry.find("dcf.replica.calls").functionTimers()).isEmpty();
    }
}
