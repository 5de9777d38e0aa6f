package io.dcf.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogWindowTest {

    private final Logger logger = Logger.getLogger("LogWindowTest." + System.nanoTime());
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LogWindowTest() {
        logger.setUseParentHandlers(false);
        logger.addHandler(capture);
    }

    @AfterEach
    void detach() {
        logger.removeHandler(capture);
    }

    @Test
    void thousandFailuresInOneWindow_logOneLineWithItsTrace_thenTheNextWindowCountsTheRest() {
        AtomicLong now = new AtomicLong();
        LogWindow window = new LogWindow(logger, Level.WARNING, TimeUnit.SECONDS.toNanos(10), now::get);
        IllegalStateException boom = new IllegalStateException("boom");

        for (int i = 0; i < 1000; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            window.log(boom, "function=f handler failed: INTERNAL boom");
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        window.log(boom, "function=f handler failed: INTERNAL boom");

        assertThat(records).hasSize(2);
        assertThat(records.get(0).getMessage()).isEqualTo("function=f handler failed: INTERNAL boom");
        assertThat(records.get(0).getThrown()).isSameAs(boom);
        assertThat(records.get(1).getMessage())
                .isEqualTo("function=f handler failed: INTERNAL boom (999 more like it in the last 10 s not logged)");
    }
}
