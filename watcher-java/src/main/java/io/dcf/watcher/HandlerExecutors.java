package io.dcf.watcher;

import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The watcher's own threads: handler work (bounded by the concurrency limit) and deadline timers. */
final class HandlerExecutors {

    private HandlerExecutors() {
    }

    /**
     * Handler threads, started as calls need them and retired after 30 s idle. A call goes to the
     * thread that became idle last (an unfair {@link SynchronousQueue} hands tasks over LIFO): under
     * a steady load the same few threads, with their caches warm, serve every call, instead of
     * each call waking the thread idle longest of up to {@code limit}. Admission holds a permit
     * per running task, so at most {@code limit} tasks run; a thread that just released its
     * permit may not be waiting for the next task yet, hence room for {@code 2 * limit} threads
     * (reached only if {@code limit} calls end and start again at the same instant).
     */
    static ExecutorService handlers(int limit) {
        return new ThreadPoolExecutor(0, 2 * limit, 30, TimeUnit.SECONDS, new SynchronousQueue<>(false),
                daemonThreads("dcf-handler-"));
    }

    /**
     * The clock for a call's deadline: the transport's event loop when the call starts on one
     * (grpc runs the watcher's callbacks there: {@code directExecutor}), so arming the deadline is
     * a queue insert on the running thread and cancelling it from the handler thread wakes nobody;
     * else {@code fallback}, a timer thread that each arming on an empty queue has to wake.
     */
    static ScheduledExecutorService deadlineClock(ScheduledExecutorService fallback) {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop != null ? loop : fallback;
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
