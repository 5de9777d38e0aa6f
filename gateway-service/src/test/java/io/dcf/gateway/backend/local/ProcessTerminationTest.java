package io.dcf.gateway.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessTerminationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0   | exited with code 0",
        "3   | exited with code 3",
        "75  | restarted: call stuck past its timeout (exit code 75)",
        "137 | killed by signal 9 (SIGKILL, perhaps out of memory, exit code 137)",
        "139 | killed by signal 11 (SIGSEGV, exit code 139)",
        "143 | killed by signal 15 (SIGTERM, exit code 143)",
        "200 | exited with code 200",
    })
    void describeExit_namesSignalsAndTheStuckExit(int status, String expected) {
        assertThat(ProcessTermination.describeExit(status)).isEqualTo(expected);
    }

    @Test
    void describeExit_ofARealSigkill_saysSigkill() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        sleeper.destroyForcibly();

        assertThat(sleeper.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessTermination.describeExit(sleeper.exitValue())).startsWith("killed by signal 9 (SIGKILL");
    }
}
