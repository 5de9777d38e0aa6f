package io.dcf.gateway.backend.local;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.Route;
import io.dcf.proto.v1.FunctionStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One deployed function in local mode: its stored record, installed code and
 * replicas. Mutations run under the backend's per-function lock; readers (the
 * invocation path) only read the volatile route snapshot.
 */
final class LocalFunction {

    private volatile FunctionStatus record;
    private volatile InstalledArtifact code;
    private final List<Replica> replicas = new ArrayList<>();
    private volatile Route route;

    LocalFunction(FunctionStatus record, InstalledArtifact code) {
        this.record = record;
        this.code = code;
        this.route = new Route(record.getSpec(), List.of());
    }

    FunctionStatus record() {
        return record;
    }

    void record(FunctionStatus record) {
        this.record = record;
        refresh();
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

    synchronized void remove(Replica replica) {
        replicas.remove(replica);
        refresh();
    }

    /** Recomputes the ready endpoints after any replica changed state. */
    synchronized void refresh() {
        List<Endpoint> ready = replicas.stream().map(Replica::endpoint).filter(Objects::nonNull).toList();
        route = new Route(record.getSpec(), ready);
    }

    synchronized FunctionStatus status() {
        FunctionStatus.Builder status = record.toBuilder().clearReplicaStatuses();
        replicas.forEach(r -> status.addReplicaStatuses(r.status()));
        return status.setReadyReplicas(route.endpoints().size()).build();
    }
}
