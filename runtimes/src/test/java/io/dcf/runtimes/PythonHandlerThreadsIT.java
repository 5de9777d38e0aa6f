package io.dcf.runtimes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.dcf.proto.v1.CallReply;
import io.dcf.proto.v1.CallRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python watcher's handler threads (dcf/_workers.py), seen from a real process's calls. */
class PythonHandlerThreadsIT {

    /** "hold" blocks until the file "release" exists (after marking started-<thread>); any call answers its thread. */
    private static final String THREAD_NAME = """
            import os, threading, time

            def Handler(req):
                name = threading.current_thread().name
                if req.input == b"hold":
                    home = os.environ["DCF_FUNCTION_DIR"]
                    open(os.path.join(home, "started-" + name), "w").close()
                    while not os.path.exists(os.path.join(home, "release")):
                        time.sleep(0.02)
                return name
            """;

    private static final int BURST = 6;

    @TempDir
    Path dir;

    private WatcherProcess watcher;

    @AfterEach
    void stop() throws InterruptedException {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void callsAfterABurst_runOnTheThreadIdleLast_notOnEveryIdleThreadInTurn() throws Exception {
        Files.writeString(dir.resolve("handler.py"), THREAD_NAME);
        watcher = WatcherProcess.start(dir, Map.of()).awaitServing();
        List<ListenableFuture<CallReply>> held = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            held.add(watcher.watcherFuture().call(request("hold")));
        }
        await().atMost(WatcherProcess.STARTUP).until(() -> started() == BURST);
        Files.createFile(dir.resolve("release"));
        Set<String> burst = new LinkedHashSet<>();
        for (ListenableFuture<CallReply> call : held) {
            burst.add(call.get(30, TimeUnit.SECONDS).getOutput().toStringUtf8());
        }
        assertThat(burst).hasSize(BURST).allSatisfy(name -> assertThat(name).startsWith("dcf-handler_"));

        Set<String> after = new LinkedHashSet<>();
        for (int i = 0; i < 30; i++) {
            after.add(watcher.watcher().call(request("name")).getOutput().toStringUtf8());
        }
        // LIFO: the thread idle last takes the next call (a second one at most, when a call
        // comes before the previous call's thread is idle again); a FIFO pool rotates through all six.
        assertThat(after).as("threads that ran 30 calls in a row after a burst of %d", BURST)
                .hasSizeLessThanOrEqualTo(2).isSubsetOf(burst);
    }

    private long started() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("started-")).count();
        }
    }

    private static CallRequest request(String input) {
        return CallRequest.newBuilder().setInput(ByteString.copyFrom(input, UTF_8)).build();
    }
}
