package io.dcf.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeLockTest {

    @TempDir
    Path home;

    @Test
    void publish_writesPidPortStartInstanceAndHome() throws Exception {
        try (HomeLock lock = HomeLock.acquire(home)) {
            lock.publish(4242);
            GatewayPidFile file = GatewayPidFile.read(home).orElseThrow();
            assertThat(file.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(file.port()).isEqualTo(4242);
            assertThat(file.started()).isEqualTo(GatewayPidFile.startOf(ProcessHandle.current())).isNotEmpty();
            assertThat(file.instance()).hasSize(36);
            assertThat(file.home()).isEqualTo(home.toString());
            assertThat(file.writerAlive()).isTrue();
        }
        assertThat(home.resolve("gateway.pid")).doesNotExist();
    }

    @Test
    void acquire_refusesAHomeWhosePidFileNamesALiveGateway_evenWhenTheLockFileIsFree() {
        // The second guard: a gateway whose POSIX lock was lost still owns its home.
        new GatewayPidFile(ProcessHandle.current().pid(), 31113, GatewayPidFile.startOf(ProcessHandle.current()),
                "x", home.toString()).write(home);

        assertThatThrownBy(() -> HomeLock.acquire(home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another DCF gateway is using DCF_HOME " + home + " (pid "
                        + ProcessHandle.current().pid() + ", port 31113");
    }

    @Test
    void acquire_ignoresAStalePidFile_whosePidWasReusedByAnotherProgram() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            new GatewayPidFile(sleeper.pid(), 31113, "2001-01-01T00:00:00Z", "x", home.toString()).write(home);

            try (HomeLock lock = HomeLock.acquire(home)) {
                lock.publish(1);
            }
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
        assertThat(Files.exists(home.resolve("gateway.pid"))).isFalse();
    }
}
