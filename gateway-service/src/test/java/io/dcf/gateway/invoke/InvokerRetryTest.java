package io.dcf.gateway.invoke;

import io.dcf.gateway.metrics.InvocationMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.Route;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resending calls a replica never processed, against real sockets. */
class InvokerRetryTest {

    private final List<Server> servers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A replica that answers with {@code status} (OK echoes) and counts its calls. */
    private Endpoint replica(Status status, AtomicInteger calls) throws IOException {
        return replica(status, new Metadata(), calls);
    }

    /** A watcher refusing every call as its refusals do: UNAVAILABLE with the {@code dcf-refused} trailer. */
    private Endpoint refusingWith(String refusal, AtomicInteger calls) throws IOException {
        Metadata trailers = new Metadata();
        trailers.put(ReplicaFailures.REFUSED, refusal);
        return replica(Status.UNAVAILABLE.withDescription("function fn is " + refusal), trailers, calls);
    }

    private Endpoint replica(Status status, Metadata trailers, AtomicInteger calls) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new WatcherGrpc.WatcherImplBase() {
                    @Override
                    public void call(CallRequest request, StreamObserver<CallReply> reply) {
                        calls.incrementAndGet();
                        if (status.isOk()) {
                            reply.onNext(CallReply.newBuilder().setOutput(request.getInput()).build());
                            reply.onCompleted();
                        } else {
                            reply.onError(status.asRuntimeException(trailers));
                        }
                    }
                }).build().start();
        servers.add(server);
        return new Endpoint("127.0.0.1", server.getPort());
    }

    private static Endpoint refusing() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new Endpoint("127.0.0.1", socket.getLocalPort());
        }
    }

    private static Invoker invoker(Endpoint... endpoints) {
        Route route = new Route(FunctionSpec.newBuilder().setName("fn").build(), List.of(endpoints));
        return new Invoker(name -> route, Duration.ofSeconds(10), 1 << 20, 4 << 20, new InvocationMeters(new SimpleMeterRegistry()),
                Duration.ofMinutes(5));
    }

    private static CallReply call(Invoker invoker) throws Exception {
        return invoker.call("fn", CallRequest.newBuilder().setInput(ByteString.copyFromUtf8("hi")).build())
                      .get(30, TimeUnit.SECONDS);
    }

    @Test
    void refusedConnection_isRetriedOnAnotherReplica() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Invoker invoker = invoker(refusing(), replica(Status.OK, calls));
        for (int i = 0; i < 6; i++) {
            assertThat(call(invoker).getOutput().toStringUtf8()).isEqualTo("hi");
        }
        assertThat(calls).hasValue(6);
    }

    @Test
    void drainingReplica_isRetriedOnAnotherReplica() throws Exception {
        AtomicInteger draining = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        Invoker invoker = invoker(refusingWith("draining", draining), replica(Status.OK, healthy));
        assertThat(call(invoker).getOutput().toStringUtf8()).isEqualTo("hi");
        assertThat(draining).hasValue(1);
        assertThat(healthy).hasValue(1);
    }

    @Test
    void loadingReplica_isRetriedOnAnotherReplica() throws Exception {
        AtomicInteger loading = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        Invoker invoker = invoker(refusingWith("loading", loading), replica(Status.OK, healthy));
        assertThat(call(invoker).getOutput().toStringUtf8()).isEqualTo("hi");
        assertThat(loading).hasValue(1);
        assertThat(healthy).hasValue(1);
    }

    @Test
    void handlersOwnUnavailable_isNotRetriedWhateverItsText() throws Exception {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        Invoker invoker = invoker(replica(Status.UNAVAILABLE.withDescription("function fn is draining"), failing),
                replica(Status.OK, healthy));
        assertThatThrownBy(() -> call(invoker)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(failing).hasValue(1);
        assertThat(healthy).hasValue(0);
    }

    @Test
    void handlerFailure_isNotRetried() throws Exception {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger healthy = new AtomicInteger();
        Invoker invoker = invoker(replica(Status.INTERNAL.withDescription("boom"), failing), replica(Status.OK, healthy));
        assertThatThrownBy(() -> call(invoker)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
        assertThat(failing).hasValue(1);
        assertThat(healthy).hasValue(0);
    }

    @Test
    void onlyReplicaRefusing_failsWithUnavailable() throws Exception {
        Invoker invoker = invoker(refusing());
        assertThatThrownBy(() -> call(invoker)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
}
