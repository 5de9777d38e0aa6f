package io.dcf.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WatcherConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaults_areTheContracts() {
        WatcherConfig config = WatcherConfig.fromMap(Map.of());

        assertThat(config.functionName()).isEqualTo("function");
        assertThat(config.handlerClass()).isEqualTo("Handler");
        assertThat(config.handlerPath()).containsExactly(Path.of("."));
        assertThat(config.functionDir()).isEqualTo(Path.of(".").toAbsolutePath().normalize());
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(50051);
        assertThat(config.portFile()).isEmpty();
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(30_000));
        assertThat(config.maxConcurrency()).isEqualTo(64);
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofMillis(10_000));
        assertThat(config.maxMessageBytes()).isEqualTo(67_108_864);
        assertThat(config.exitWithParent()).isFalse();
    }

    @Test
    void everyVariable_isRead() {
        WatcherConfig config = WatcherConfig.fromMap(Map.ofEntries(
                Map.entry("DCF_FUNCTION_NAME", "resize"),
                Map.entry("DCF_HANDLER", "com.example.Resize"),
                Map.entry("DCF_HANDLER_PATH", "/srv/fn/classes:/srv/fn/lib/a.jar:"),
                Map.entry("DCF_FUNCTION_DIR", "/srv/fn"),
                Map.entry("DCF_WATCHER_HOST", "127.0.0.1"),
                Map.entry("DCF_WATCHER_PORT", "0"),
                Map.entry("DCF_WATCHER_PORT_FILE", "/run/fn.port"),
                Map.entry("DCF_TIMEOUT_MS", "500"),
                Map.entry("DCF_MAX_CONCURRENCY", "3"),
                Map.entry("DCF_DRAIN_TIMEOUT_MS", "0"),
                Map.entry("DCF_MAX_MESSAGE_BYTES", "1024"),
                Map.entry("DCF_EXIT_WITH_PARENT", "true"),
                Map.entry("DCF_REPLICA_SECRET_STDIN", "true"),
                Map.entry("DCF_STUCK_GRACE_MS", "2500")));

        assertThat(config).isEqualTo(new WatcherConfig("resize", "com.example.Resize",
                List.of(Path.of("/srv/fn/classes"), Path.of("/srv/fn/lib/a.jar")), Path.of("/srv/fn"),
                "127.0.0.1", 0, Optional.of(Path.of("/run/fn.port")), Duration.ofMillis(500), 3,
                Duration.ZERO, 1024, true, true, Duration.ofMillis(2500)));
    }

    @Test
    void functionDir_defaultsToTheFirstEntry_orItsDirectoryForAJar() throws Exception {
        Path jar = Files.createFile(dir.resolve("handler.jar"));

        assertThat(WatcherConfig.fromMap(Map.of("DCF_HANDLER_PATH", dir + ":/other")).functionDir()).isEqualTo(dir);
        assertThat(WatcherConfig.fromMap(Map.of("DCF_HANDLER_PATH", jar.toString())).functionDir()).isEqualTo(dir);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DCF_TIMEOUT_MS        | abc   | DCF_TIMEOUT_MS: abc (expected: a positive integer)",
        "DCF_TIMEOUT_MS        | 0     | DCF_TIMEOUT_MS: 0 (expected: a positive integer)",
        "DCF_MAX_CONCURRENCY   | -1    | DCF_MAX_CONCURRENCY: -1 (expected: a positive integer)",
        "DCF_WATCHER_PORT      | 70000 | DCF_WATCHER_PORT: 70000 (expected: an integer 0-65535)",
        "DCF_DRAIN_TIMEOUT_MS  | -5    | DCF_DRAIN_TIMEOUT_MS: -5 (expected: a non-negative integer)",
        "DCF_MAX_MESSAGE_BYTES | 1e6   | DCF_MAX_MESSAGE_BYTES: 1e6 (expected: a positive integer)",
        "DCF_EXIT_WITH_PARENT  | maybe | DCF_EXIT_WITH_PARENT: maybe (expected: true or false)",
    })
    void badValues_areReportedWithWhatWasExpected(String key, String value, String message) {
        assertThatThrownBy(() -> WatcherConfig.fromMap(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void arguments_overrideTheEnvironment() {
        Map<String, String> env = Arguments.overlay(Map.of("DCF_WATCHER_PORT", "50051", "DCF_TIMEOUT_MS", "9"),
                "--port=0", "--timeout-ms=500", "--DCF_HANDLER=com.example.H", "--handler-path=/a:/b");

        WatcherConfig config = WatcherConfig.fromMap(env);
        assertThat(config.port()).isZero();
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.handlerClass()).isEqualTo("com.example.H");
        assertThat(config.handlerPath()).containsExactly(Path.of("/a"), Path.of("/b"));
    }

    @Test
    void unknownArguments_areRefused() {
        assertThatThrownBy(() -> Arguments.overlay(Map.of(), "--colour=blue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("argument: --colour=blue (expected: one of DCF_FUNCTION_NAME");
        assertThatThrownBy(() -> Arguments.overlay(Map.of(), "port"))
                .hasMessage("argument: port (expected: --key=value)");
    }
}
