package io.dcf.gateway.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Durations;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.error.RetryLaterException;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.ScaleSpec;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue where calls wait for a replica, against a resolver whose route the test changes. */
class ActivationQueuesTest {

    private static final FunctionSpec TO_ZERO = FunctionSpec.newBuilder().setName("f").setScale(ScaleSpec.newBuilder()
            .setMin(0).setMax(3).setZeroAfter(Durations.fromSeconds(1))).build();

    /** A resolver holding one route per test, telling its listeners when the test changes it. */
    private static final class SettableResolver implements EndpointResolver {
        volatile Route route = new Route(TO_ZERO, List.of());
        final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Route route(String function) {
            if (route == null) {
                throw new FunctionNotFoundException(function);
            }
            return route;
        }

        @Override
        public void onRouteChange(Consumer<String> listener) {
            listeners.add(listener);
        }

        void set(Route next) {
            route = next;
            listeners.forEach(l -> l.accept("f"));
        }
    }

    private final SettableResolver resolver = new SettableResolver();
    private final List<String> woken = new CopyOnWriteArrayList<>();
    private ActivationQueues queues;

    private ActivationQueues queues(int capacity, Duration timeout, int concurrency) {
        queues = new ActivationQueues(resolver, capacity, timeout, concurrency);
        queues.onWaiting(woken::add);
        return queues;
    }

    @AfterEach
    void close() {
        if (queues != null) {
            queues.close();
        }
    }

    /** Waits like the invoker: takes the endpoint's slot when released, in the order released. */
    private static CompletableFuture<Endpoint> call(ActivationQueues q, List<Integer> order, int id) {
        return q.await("f", new Route(TO_ZERO, List.of())).thenApply(route -> {
            Endpoint e = route.endpoints().get(0);
            e.acquire();
            order.add(id);
            return e;
        });
    }

    @Test
    void autoscaledWithoutReplica_waits_andIsReleasedInOrder_whenTheResolverTellsAReplicaIsReady() {
        ActivationQueues q = queues(100, Duration.ofSeconds(30), 64);
        assertThat(q.mustWait("f", resolver.route("f"))).isTrue();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Endpoint>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(call(q, order, i));
        }
        assertThat(woken).as("the autoscaler is told at once").hasSize(10).containsOnly("f");
        assertThat(calls).noneMatch(CompletableFuture::isDone);
        assertThat(q.queued("f")).isEqualTo(10);

        resolver.set(new Route(TO_ZERO, List.of(new Endpoint("127.0.0.1", 1))));

        assertThat(calls).allMatch(CompletableFuture::isDone);
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(q.queued("f")).isZero();
        assertThat(q.mustWait("f", resolver.route("f"))).as("ready and nobody waiting: straight through").isFalse();
    }

    @Test
    void release_neverGivesAReplicaMoreThanItsSlots_theRestFollowAsCallsFinish() {
        ActivationQueues q = queues(100, Duration.ofSeconds(30), 3);
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Endpoint>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(call(q, order, i));
        }
        Endpoint a = new Endpoint("127.0.0.1", 1);
        Endpoint b = new Endpoint("127.0.0.1", 2);
        b.acquire(); // a call that went straight to b earlier
        resolver.set(new Route(TO_ZERO, List.of(a, b)));
        assertThat(a.inflight()).isEqualTo(3);
        assertThat(b.inflight()).isEqualTo(3);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(q.mustWait("f", resolver.route("f"))).as("new calls queue behind the waiting ones").isTrue();

        a.release();
        q.done("f");
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(calls.get(5).join()).isSameAs(a);
    }

    @Test
    void pastTheBound_resourceExhausted_namingTheSetting() {
        ActivationQueues q = queues(2, Duration.ofSeconds(30), 64);
        call(q, new ArrayList<>(), 0);
        call(q, new ArrayList<>(), 1);
        assertThatThrownBy(() -> call(q, new ArrayList<>(), 2).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(DcfException.class)
                .hasMessage("function f: 2 calls already wait for a replica (dcf.gateway.autoscaler.queue-size); try"
                        + " again later")
                .extracting(e -> ((DcfException) e).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void noReplicaInTime_unavailableWithRetryAfter_andTheQueueEmpties() {
        ActivationQueues q = queues(10, Duration.ofMillis(200), 64);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        q.onWaited((function, wait) -> waits.add(wait));
        CompletableFuture<Endpoint> call = call(q, new ArrayList<>(), 0);
        await().atMost(Duration.ofSeconds(10)).until(call::isDone);
        assertThatThrownBy(call::join).cause().isInstanceOf(RetryLaterException.class)
                .hasMessage("function f has no ready replica after waiting 200 ms for one to start"
                        + " (dcf.gateway.autoscaler.activation-timeout); try again later");
        assertThat(q.queued("f")).isZero();
        assertThat(waits).singleElement().matches(w -> w.toMillis() >= 200);
    }

    @Test
    void pausedFunction_isRefusedAtOnce_andNotQueued() {
        ActivationQueues q = queues(10, Duration.ofSeconds(30), 64);
        FunctionSpec paused = TO_ZERO.toBuilder().setScale(ScaleSpec.newBuilder().setMin(0).setMax(0)).build();
        CompletableFuture<Route> call = q.await("f", new Route(paused, List.of()));
        assertThatThrownBy(call::join).cause().hasMessageStartingWith("function f is paused (scale.max 0)");
        assertThat(q.queued("f")).isZero();
        assertThat(woken).isEmpty();
    }

    @Test
    void functionDeletedWhileCallsWait_theyFailNotFound() {
        ActivationQueues q = queues(10, Duration.ofSeconds(30), 64);
        CompletableFuture<Endpoint> call = call(q, new ArrayList<>(), 0);
        resolver.set(null);
        assertThatThrownBy(call::join).cause().isInstanceOf(FunctionNotFoundException.class);
    }

    @Test
    void fixedReplicas_neverWait_asBeforeAutoscaling() {
        ActivationQueues q = queues(10, Duration.ofSeconds(30), 64);
        FunctionSpec fixed = FunctionSpec.newBuilder().setName("f").setReplicas(1).build();
        assertThat(q.mustWait("f", new Route(fixed, List.of()))).isFalse();
    }
}
