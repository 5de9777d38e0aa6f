package io.dcf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void since_withMachineTime_reportsWhatNoWatchedProcessUsedAsOthers() {
        Map<String, Long> used = CpuMeter.since(Map.of("generator", 10L, "gateway", 100L, "machine", 1000L),
                                                Map.of("generator", 15L, "gateway", 130L, "machine", 1100L));

        assertThat(used).containsExactlyInAnyOrderEntriesOf(Map.of("generator", 5L, "gateway", 30L, "others", 65L));
    }

    @Test
    void snapshot_includesTheGeneratorAndNamedLiveProcesses() {
        long self = ProcessHandle.current().pid();

        Map<String, Long> cpu = new CpuMeter(Map.of("self-again", self)).snapshot();

        assertThat(cpu).containsKeys("generator", "self-again");
    }
}
