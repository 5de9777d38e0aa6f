package io.dcf.gateway.scale;

import io.dcf.gateway.backend.Endpoint;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the replicas say about their own load: the calls in flight each one reported in its last
 * {@code dcf.v1.Watcher/Stats} answer, when that answer is recent. The autoscaler counts a replica
 * as busy as the larger of that and this gateway's own count ({@link #inflight}).
 */
@FunctionalInterface
public interface ReplicaLoads {

    /** No replica reports: the gateway's own counts only. */
    ReplicaLoads NONE = endpoint -> OptionalInt.empty();

    /** The calls in flight {@code endpoint} reported lately; empty when it has not answered or not lately. */
    OptionalInt reportedInflight(Endpoint endpoint);

    /**
     * The calls in flight on {@code endpoints}: per replica the larger of the gateway's count
     * ({@link Endpoint#inflight()}: exact and current, but only this gateway's calls) and the
     * replica's report (up to one poll old, but every caller's calls: other gateways', and an open
     * stream counts as one for its whole life), summed. Pure.
     */
    static int inflight(List<Endpoint> endpoints, ReplicaLoads reported) {
        int sum = 0;
        for (Endpoint endpoint : endpoints) {
            int counted = endpoint.inflight();
            OptionalInt report = reported.reportedInflight(endpoint);
            sum += report.isPresent() ? Math.max(counted, report.getAsInt()) : counted;
        }
        return sum;
    }
}
