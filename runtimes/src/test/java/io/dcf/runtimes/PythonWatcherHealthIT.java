package io.dcf.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.dcf.proto.v1.CallRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python watcher's side of replica health: stuck handlers and typed refusals. */
class PythonWatcherHealthIT {

    private static final Metadata.Key<String> REFUSED = Metadata.Key.of("dcf-refused", Metadata.ASCII_STRING_MARSHALLER);

    /** Spins, deaf to everything, for ten minutes. */
    private static final String SPINNING = """
            import time

            def Handler(req):
                end = time.monotonic() + 600
                while time.monotonic() < end:
                    pass
                return b"spun"
            """;

    @TempDir
    Path dir;

    private final List<WatcherProcess> watchers = new ArrayList<>();

    @AfterEach
    void stopWatchers() {
        watchers.forEach(WatcherProcess::close);
    }

    private WatcherProcess start(String handler, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("handler.py"), handler);
        WatcherProcess watcher = WatcherProcess.start(dir, env);
        watchers.add(watcher);
        return watcher;
    }

    private static StatusRuntimeException callFails(WatcherProcess watcher, String input) {
        return catchThrowableOfType(StatusRuntimeException.class, () -> watcher.watcher()
                .call(CallRequest.newBuilder().setInput(ByteString.copyFromUtf8(input)).build()));
    }

    @Test
    void stuckHandler_pastTimeoutAndGrace_exitsWithStatus75() throws Exception {
        WatcherProcess watcher = start(SPINNING, Map.of("DCF_TIMEOUT_MS", "300", "DCF_STUCK_GRACE_MS", "500"))
                .awaitServing();

        StatusRuntimeException timedOut = callFails(watcher, "x");

        assertThat(timedOut.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(watcher.awaitExit()).as("exit status; stderr:%n%s", watcher.stderr()).isEqualTo(75);
        assertThat(watcher.stderr()).contains("function=test-fn handler still running 500 ms after its call timed"
                + " out (300 ms); exiting with status 75 so the replica is restarted");
    }

    @Test
    void stuckHandler_doesNotHoldUpADrain() throws Exception {
        WatcherProcess watcher = start(SPINNING, Map.of("DCF_TIMEOUT_MS", "300", "DCF_STUCK_GRACE_MS", "600000",
                "DCF_DRAIN_TIMEOUT_MS", "600000")).awaitServing();
        assertThat(callFails(watcher, "x").getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);

        watcher.process().destroy(); // SIGTERM

        assertThat(watcher.awaitExit()).as("exit status; stderr:%n%s", watcher.stderr()).isZero();
    }

    @Test
    void refusals_carryTheRefusedTrailer_handlerErrorsDoNot() throws Exception {
        WatcherProcess loading = start("""
                import os, time

                import dcf

                class Handler:
                    def __init__(self):
                        while not os.path.exists(os.path.join(os.environ["DCF_FUNCTION_DIR"], "model-ready")):
                            time.sleep(0.02)

                    def __call__(self, req):
                        raise dcf.FunctionError("UNAVAILABLE", "function test-fn is draining")
                """, Map.of());
        StatusRuntimeException refused = callFails(loading, "x");
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getTrailers().get(REFUSED)).isEqualTo("loading");

        Files.createFile(dir.resolve("model-ready"));
        loading.awaitServing();
        StatusRuntimeException handlers = callFails(loading, "x");
        assertThat(handlers.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(handlers.getTrailers().get(REFUSED)).isNull();
    }
}
