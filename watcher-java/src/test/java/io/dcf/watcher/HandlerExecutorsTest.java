package io.dcf.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandlerExecutorsTest {

    @Test
    void handlers_callsOneAfterAnother_reuseTheThreadIdleLast() throws Exception {
        ExecutorService handlers = HandlerExecutors.handlers(64);
        try {
            Set<String> threads = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                CompletableFuture<String> name = new CompletableFuture<>();
                handlers.execute(() -> name.complete(Thread.currentThread().getName()));
                threads.add(name.get(10, TimeUnit.SECONDS));
            }
            // A pool that started a thread per call up to its limit (the thread idle longest served next) used 50.
            assertThat(threads).hasSizeLessThan(5);
        } finally {
            handlers.shutdownNow();
        }
    }

    @Test
    void handlers_limitCallsAtOnce_eachGetsAThread() throws Exception {
        ExecutorService handlers = HandlerExecutors.handlers(4);
        CompletableFuture<Void> release = new CompletableFuture<>();
        try {
            CompletableFuture<?>[] running = new CompletableFuture<?>[4];
            for (int i = 0; i < running.length; i++) {
                CompletableFuture<Void> started = new CompletableFuture<>();
                running[i] = started;
                handlers.execute(() -> {
                    started.complete(null);
                    release.join();
                });
            }
            CompletableFuture.allOf(running).get(10, TimeUnit.SECONDS);
        } finally {
            release.complete(null);
            handlers.shutdownNow();
        }
    }

    @Test
    void deadlineClock_offAnEventLoop_isTheFallback() {
        ScheduledExecutorService timer = HandlerExecutors.timer();
        try {
            assertThat(HandlerExecutors.deadlineClock(timer)).isSameAs(timer);
        } finally {
            timer.shutdownNow();
        }
    }
}
