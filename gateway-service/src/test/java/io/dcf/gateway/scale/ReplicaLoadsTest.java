package io.dcf.gateway.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.gateway.backend.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReplicaLoadsTest {

    private static Endpoint replica(int port, int gatewayInflight) {
        Endpoint endpoint = new Endpoint("127.0.0.1", port, "", Endpoint.LOCAL, Integer.toString(port));
        for (int i = 0; i < gatewayInflight; i++) {
            endpoint.acquire();
        }
        return endpoint;
    }

    private static ReplicaLoads reports(Map<Endpoint, Integer> reported) {
        return endpoint -> reported.containsKey(endpoint) ? OptionalInt.of(reported.get(endpoint)) : OptionalInt.empty();
    }

    @Test
    void noReports_countsTheGatewaysCallsOnly() {
        List<Endpoint> replicas = List.of(replica(1, 2), replica(2, 5));

        assertThat(ReplicaLoads.inflight(replicas, ReplicaLoads.NONE)).isEqualTo(7);
    }

    @Test
    void replicaReportingMore_countsItsReport() {
        // another gateway (or a long stream the gateway counts only while a message waits) keeps it busier
        Endpoint a = replica(1, 2);
        Endpoint b = replica(2, 1);

        assertThat(ReplicaLoads.inflight(List.of(a, b), reports(Map.of(a, 9, b, 4)))).isEqualTo(13);
    }

    @Test
    void replicaReportingLess_countsTheGatewaysCalls() {
        // its report is up to one poll old: calls sent since then are in the gateway's count only
        Endpoint a = replica(1, 6);

        assertThat(ReplicaLoads.inflight(List.of(a), reports(Map.of(a, 1)))).isEqualTo(6);
    }

    @Test
    void maxIsPerReplica_notOfTheSums() {
        Endpoint a = replica(1, 5);
        Endpoint b = replica(2, 0);

        // sums would be max(5, 0 + 3) = 5; per replica it is max(5, 0) + max(0, 3) = 8
        assertThat(ReplicaLoads.inflight(List.of(a, b), reports(Map.of(a, 0, b, 3)))).isEqualTo(8);
    }

    @Test
    void someReplicasSilent_mixesReportsAndCounts() {
        Endpoint a = replica(1, 1);
        Endpoint silent = replica(2, 4);

        assertThat(ReplicaLoads.inflight(List.of(a, silent), reports(Map.of(a, 3)))).isEqualTo(7);
    }

    @Test
    void noReplicas_isZero() {
        assertThat(ReplicaLoads.inflight(List.of(), reports(Map.of()))).isZero();
    }
}
