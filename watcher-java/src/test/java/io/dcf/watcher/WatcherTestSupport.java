package io.dcf.watcher;

import io.dcf.watcher.fixtures.Probe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What every in-process watcher test shares: a temp dir, the fixtures' probe, the watcher to close. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class WatcherTestSupport {

    @TempDir
    Path dir;

    /** The watcher the test started; closed after it. */
    TestWatcher running;

    @BeforeEach
    void resetProbe() {
        Probe.reset();
        Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void closeWatcher() throws Exception {
        if (running != null) {
            running.close();
        }
    }
}
