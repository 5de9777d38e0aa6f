package io.dcf.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FirstRequestsMainTest {

    @Test
    void parse_fillsDefaults() {
        assertThat(FirstRequestsMain.parse(new String[] {"--gateway=127.0.0.1:1", "--gateway-pid=42"}))
                .containsEntry("protocol", "http").containsEntry("slice", "1000").containsEntry("slices", "10")
                .containsEntry("gateway-pid", "42");
    }

    @Test
    void parse_refusesMissingAndBadValues() {
        assertThatThrownBy(() -> FirstRequestsMain.parse(new String[] {"--gateway=127.0.0.1:1"}))
                .hasMessage("--gateway-pid is required");
        assertThatThrownBy(() -> FirstRequestsMain.parse(
                new String[] {"--gateway=h:1", "--gateway-pid=1", "--slice=x"}))
                .hasMessage("slice: x (expected: a whole number)");
        assertThatThrownBy(() -> FirstRequestsMain.parse(
                new String[] {"--gateway=h:1", "--gateway-pid=1", "--protocol=h3"}))
                .hasMessage("protocol: h3 (expected: http or grpc)");
        assertThatThrownBy(() -> FirstRequestsMain.parse(
                new String[] {"--gateway=h:1", "--gateway-pid=1", "--warmup=soon"}))
                .hasMessage("warmup: soon (expected: 20s, 500ms...)");
    }
}
