package io.dcf.gateway.invoke;

import io.dcf.gateway.metrics.InvocationMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.Route;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.WatcherGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Passive outlier ejection in the invocation path, against real sockets. */
class InvokerOutlierTest {

    private final List<Server> servers = new ArrayList<>();
    private final List<StreamObserver<CallReply>> hung = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A replica answering {@code status} (OK echoes); {@code null} never answers, like a stopped process. */
    private Endpoint replica(Status status) throws IOException {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new WatcherGrpc.WatcherImplBase() {
                    @Override
                    public void call(CallRequest request, StreamObserver<CallReply> reply) {
                        if (status == null) {
                            hung.add(reply);
                        } else if (status.isOk()) {
                            reply.onNext(CallReply.newBuilder().setOutput(request.getInput()).build());
                            reply.onCompleted();
                        } else {
                            reply.onError(status.asRuntimeException());
                        }
                    }
                }).build().start();
        servers.add(server);
        return new Endpoint("127.0.0.1", server.getPort());
    }

    /** A route with a 1 s function timeout (the gateway waits 2 s) that records ejections. */
    private static final class Recorder implements EndpointResolver {
        final List<Endpoint> ejected = new CopyOnWriteArrayList<>();
        final List<String> reasons = new CopyOnWriteArrayList<>();
        final Route route;

        Recorder(Endpoint... endpoints) {
            route = new Route(FunctionSpec.newBuilder().setName("fn").setTimeout(Durations.fromMillis(1000)).build(),
                    List.of(endpoints));
        }

        @Override
        public Route route(String function) {
            return route;
        }

        @Override
        public void eject(String function, Endpoint endpoint, String reason) {
            ejected.add(endpoint);
            reasons.add(reason);
        }
    }

    private static Throwable callOnce(Invoker invoker) {
        return catchThrowable(() -> invoker.call("fn", CallRequest.newBuilder()
                .setInput(ByteString.copyFromUtf8("hi")).build()).get(30, TimeUnit.SECONDS));
    }

    private static Invoker invoker(EndpointResolver resolver) {
        return new Invoker(resolver, Duration.ofSeconds(10), 1 << 20, 4 << 20, new InvocationMeters(new SimpleMeterRegistry()), Duration.ofMinutes(5));
    }

    @Test
    void replicaThatNeverAnswers_isEjectedAfterThreeTimeoutsInARow() throws Exception {
        Endpoint silent = replica(null);
        Recorder resolver = new Recorder(silent, replica(Status.OK));
        Invoker invoker = invoker(resolver);
        for (int i = 0; i < 6; i++) { // round robin: calls 0, 2 and 4 go to the silent replica
            Throwable error = callOnce(invoker);
            if (i % 2 == 0) {
                assertThat(error).isInstanceOf(ExecutionException.class);
                assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            } else {
                assertThat(error).isNull();
            }
        }
        assertThat(resolver.ejected).containsExactly(silent);
        assertThat(resolver.reasons.get(0)).contains("3 calls in a row failed").contains("no answer");
    }

    @Test
    void handlerTimeoutsAndErrors_neverEjectAHealthyReplica() throws Exception {
        Recorder resolver = new Recorder(
                replica(Status.DEADLINE_EXCEEDED.withDescription("function fn timed out after 100 ms")),
                replica(Status.INTERNAL.withDescription("boom")),
                replica(Status.UNAVAILABLE.withDescription("the handler's own upstream is down")));
        Invoker invoker = invoker(resolver);
        for (int i = 0; i < 12; i++) {
            assertThat(callOnce(invoker)).isInstanceOf(ExecutionException.class);
        }
        assertThat(resolver.ejected).isEmpty();
    }

    @Test
    void lastEndpointInTheRoute_isNeverEjectedPassively() throws Exception {
        Recorder resolver = new Recorder(replica(null));
        Invoker invoker = invoker(resolver);
        for (int i = 0; i < 4; i++) {
            assertThat(Status.fromThrowable(callOnce(invoker)).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        }
        assertThat(resolver.ejected).isEmpty();
    }
}
