package io.dcf.watcher;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The watcher's own threads: handler work (bounded by the concurrency limit) and deadline timers. */
final class HandlerExecutors {

    private HandlerExecutors() {
    }

    /**
     * At most {@code limit} handler threads, idle ones retired after 30 s. Admission holds a
     * permit for each task, so the queue never holds more than {@code limit} either.
     */
    static ExecutorService handlers(int limit) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(limit, limit, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limit), daemonThreads("dcf-handler-"));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads("dcf-deadline-"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
