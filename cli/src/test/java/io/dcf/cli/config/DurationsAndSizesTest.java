package io.dcf.cli.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DurationsAndSizesTest {

    @ParameterizedTest
    @CsvSource({"30s, 30000", "500ms, 500", "2m, 120000", "1h, 3600000", "1h30m, 5400000", "1m500ms, 60500"})
    void durations_parse(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "30 s", "-1s", "1d"})
    void durations_rejectOtherForms(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text)).withMessageContaining("30s");
    }

    @ParameterizedTest
    @CsvSource({"30000, 30s", "120000, 2m", "1500, 1500ms", "7200000, 2h"})
    void durations_format(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"1048576, 1048576", "1MB, 1048576", "10MB, 10485760", "512KiB, 524288", "512KB, 524288",
            "1Mi, 1048576", "2GiB, 2147483648", "2GB, 2147483648", "1kb, 1024", "16mb, 16777216", "7B, 7"})
    void sizes_parse(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"1MB", "16MB", "512KB", "2GB", "1048576", "7B"})
    void sizes_meanWhatTheGatewaysSpringDataSizeMeans(String text) {
        assertThat(Sizes.parse(text)).isEqualTo(org.springframework.util.unit.DataSize.parse(text).toBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "1.5MB", "10 parsecs", "-1"})
    void sizes_rejectOtherForms(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse(text));
    }
}
