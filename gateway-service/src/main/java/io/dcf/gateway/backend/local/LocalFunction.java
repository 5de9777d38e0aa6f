package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.Route;
import io.dcf.proto.v1.FunctionStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One deployed function in local mode: its stored record, installed code and
 * replicas. Mutations run under the backend's per-function lock; readers (the
 * invocation path) only read the volatile route snapshot. After the route is
 * recomputed (outside this object's lock) the backend's route listener is told.
 * The autoscaler's replica count ({@link #running}) is kept beside the record, never in it.
 */
final class LocalFunction {

    private volatile FunctionStatus record;
    private volatile InstalledArtifact code;
    private final List<Replica> replicas = new ArrayList<>();
    private volatile Route route;
    private final Consumer<String> routeChanged;
    /** The autoscaler's count; -1: the record's. */
    private volatile int running = -1;

    LocalFunction(FunctionStatus record, InstalledArtifact code, Consumer<String> routeChanged) {
        this.record = record;
        this.code = code;
        this.routeChanged = routeChanged;
        this.route = new Route(record.getSpec(), List.of());
    }

    FunctionStatus record() {
        return record;
    }

    /** A new record (deploy, update, scale): the autoscaler's count is forgotten. */
    void record(FunctionStatus record) {
        this.record = record;
        this.running = -1;
        refresh();
    }

    /** The autoscaler set the replica count to {@code replicas} (not stored). */
    void running(int replicas) {
        this.running = replicas;
    }

    InstalledArtifact code() {
        return code;
    }

    void code(InstalledArtifact code) {
        this.code = code;
    }

    String name() {
        return record.getSpec().getName();
    }

    Route route() {
        return route;
    }

    synchronized List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    synchronized void add(Replica replica) {
        replicas.add(replica);
        replicas.sort(Comparator.comparingInt(Replica::index));
    }

    void remove(Replica replica) {
        synchronized (this) {
            replicas.remove(replica);
        }
        refresh();
    }

    /** Recomputes the ready endpoints after any replica changed state, then tells the listener. */
    void refresh() {
        synchronized (this) {
            List<Endpoint> ready = replicas.stream().map(Replica::endpoint).filter(Objects::nonNull).toList();
            route = new Route(record.getSpec(), ready);
        }
        routeChanged.accept(name());
    }

    synchronized FunctionStatus status() {
        FunctionStatus.Builder status = record.toBuilder().clearReplicaStatuses();
        if (running >= 0) {
            status.setReplicas(running);
        }
        replicas.forEach(r -> status.addReplicaStatuses(r.status()));
        return status.setReadyReplicas(route.endpoints().size()).build();
    }
}
