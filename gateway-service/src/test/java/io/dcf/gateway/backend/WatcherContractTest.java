package io.dcf.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.HandlerRef;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatcherContractTest {

    private static final FunctionSpec SPEC = FunctionSpec.newBuilder()
            .setName("echo")
            .setHandler(HandlerRef.newBuilder().setName("com.example.Echo"))
            .putEnvironment("GREETING", "hi")
            .putEnvironment("DCF_WATCHER_PORT", "1") // the contract wins over the function's own variables
            .build();

    @Test
    void containerDefaults_listenOnAllAddressesAtTheContainerPort() {
        Map<String, String> env = WatcherContract.of(SPEC, Duration.ofSeconds(30)).environment(Map.of());

        assertThat(env).containsEntry("DCF_FUNCTION_NAME", "echo")
                       .containsEntry("DCF_HANDLER", "com.example.Echo")
                       .containsEntry("DCF_TIMEOUT_MS", "30000")
                       .containsEntry("DCF_WATCHER_HOST", "0.0.0.0")
                       .containsEntry("DCF_WATCHER_PORT", "50051")
                       .containsEntry("GREETING", "hi")
                       .doesNotContainKeys("DCF_HANDLER_PATH", "DCF_WATCHER_PORT_FILE", "DCF_EXIT_WITH_PARENT");
    }

    @Test
    void specTimeoutWinsOverTheDefault() {
        FunctionSpec spec = SPEC.toBuilder().setTimeout(Durations.fromMillis(2500)).build();

        assertThat(WatcherContract.of(spec, Duration.ofSeconds(30)).contractVariables())
                .containsEntry("DCF_TIMEOUT_MS", "2500");
        assertThat(WatcherContract.timeout(spec, Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(2500));
        assertThat(WatcherContract.timeout(SPEC, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void pythonCode_defaultsTheHandlerFileAndUnbuffersOutput() {
        Map<String, String> env = WatcherContract.of(SPEC, Duration.ofSeconds(1))
                .code("/fn", "/fn", true).environment(Map.of("HOME", "/w"));

        assertThat(env).containsEntry("HOME", "/w")
                       .containsEntry("DCF_HANDLER_PATH", "/fn")
                       .containsEntry("DCF_HANDLER_FILE", "handler.py")
                       .containsEntry("PYTHONUNBUFFERED", "1");
    }

    @Test
    void localSettings_areAllWritten() {
        Map<String, String> vars = WatcherContract.of(SPEC, Duration.ofSeconds(1))
                .listen("127.0.0.1", 0).portFile("/tmp/p").maxConcurrency(8).drainTimeout(Duration.ofSeconds(3))
                .maxMessageBytes(1024).exitWithParent(true).secretOnStdin(true).contractVariables();

        assertThat(vars).containsEntry("DCF_WATCHER_HOST", "127.0.0.1").containsEntry("DCF_WATCHER_PORT", "0")
                        .containsEntry("DCF_WATCHER_PORT_FILE", "/tmp/p").containsEntry("DCF_MAX_CONCURRENCY", "8")
                        .containsEntry("DCF_DRAIN_TIMEOUT_MS", "3000").containsEntry("DCF_MAX_MESSAGE_BYTES", "1024")
                        .containsEntry("DCF_EXIT_WITH_PARENT", "true").containsEntry("DCF_REPLICA_SECRET_STDIN", "true");
    }
}
