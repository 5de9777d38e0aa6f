package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcf.proto.v1.FunctionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that stops leaves no pooled watcher process behind (as {@code dcf down} stops it):
 * neither the waiting ones nor a replica that took one, and no directory of theirs.
 */
class WarmPoolShutdownIT {

    @TempDir
    Path tmp;

    @Test
    void gatewayStop_endsEveryPooledProcess() {
        Path home = tmp.resolve("home");
        List<Long> pooled = new ArrayList<>();
        try (TestGateway gw = TestGateway.start(home, "--dcf.gateway.local.warm-pool=1")) {
            long warm = WarmPoolIT.awaitWarm(home, "java", List::of);
            pooled.add(WarmPoolIT.awaitWarm(home, "python", List::of));
            FunctionStatus taken = gw.deployJava("pooled", TestGateway.EXAMPLES.resolve("hello-java"));
            assertThat(taken.getReplicaStatuses(0).getPid()).as("the replica took the waiting process").isEqualTo(warm);
            pooled.add(warm);
            pooled.add(WarmPoolIT.awaitWarm(home, "java", () -> List.of(warm)));
        }

        assertThat(pooled).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("pooled pid %d", pid).isEmpty());
        assertThat(home.resolve("pool")).as("the pool's directory, a replica's pooled one included").doesNotExist();
    }

    @Test
    void warmPoolZero_startsNoPooledProcess() {
        Path home = tmp.resolve("home0");
        try (TestGateway gw = TestGateway.start(home, "--dcf.gateway.local.warm-pool=0")) {
            gw.deployJava("cold", TestGateway.EXAMPLES.resolve("hello-java")); // a pool would have started by now

            assertThat(WarmPoolIT.warmPids(home, "java", List::of)).isEmpty();
            assertThat(Files.exists(home.resolve("pool"))).as("a pool directory").isFalse();
        }
    }
}
