package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway that stops leaves no pooled watcher process behind (as {@code dcf down} stops it). */
class WarmPoolShutdownIT {

    @TempDir
    Path tmp;

    @Test
    void gatewayStop_endsEveryPooledProcess() {
        Path home = tmp.resolve("home");
        List<Long> pooled = new ArrayList<>();
        try (TestGateway gw = TestGateway.start(home, "--dcf.gateway.local.warm-pool=1")) {
            pooled.add(WarmPoolIT.awaitWarm(home, "java", List::of));
            pooled.add(WarmPoolIT.awaitWarm(home, "python", List::of));
        }

        assertThat(pooled).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("pooled pid %d", pid).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(home.resolve("pool/pool-java-1")));
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
