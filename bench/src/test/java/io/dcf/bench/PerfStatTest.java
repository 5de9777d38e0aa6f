package io.dcf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerfStatTest {

    @Test
    void parse_perfCsv_keepsTheCountsAndSkipsWhatPerfCouldNotCount() {
        Map<String, Double> counts = PerfStat.parse(List.of(
                "152304,,raw_syscalls:sys_enter,3001234567,100.00,,",
                "<not counted>,,syscalls:sys_enter_futex,0,100.00,,",
                "4821.35,msec,task-clock,4821350000,100.00,1.606,CPUs utilized",
                "Error: some perf message"));

        assertThat(counts).containsExactly(Map.entry("raw_syscalls:sys_enter", 152304.0),
                Map.entry("task-clock", 4821.35));
    }

    @Test
    void events_defaultOrAList() {
        assertThat(PerfStat.events("default")).isEqualTo(PerfStat.DEFAULT_EVENTS);
        assertThat(PerfStat.events("context-switches, task-clock")).containsExactly("context-switches", "task-clock");
        assertThat(PerfStat.events("")).isEmpty();
    }

    @Test
    void label_shortensTheDefaultsAndSystemCallTracepoints() {
        assertThat(PerfStat.label("raw_syscalls:sys_enter")).isEqualTo("syscalls");
        assertThat(PerfStat.label("syscalls:sys_enter_epoll_wait")).isEqualTo("epoll_wait");
        assertThat(PerfStat.label("cycles")).isEqualTo("cycles");
    }

    @Test
    void start_ofAProcessThatPerfCannotCount_reportsNothingForIt() throws Exception {
        PerfStat perf = new PerfStat(List.of("task-clock"), Map.of("gone", Long.MAX_VALUE));

        assertThat(perf.start().stop()).isEmpty();
    }
}
