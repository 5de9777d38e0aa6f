package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.sdk.FunctionException;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One admitted call ({@code Call} or a whole {@code Calls} stream): runs its body on the
 * handler executor, answers exactly once (the body's outcome, a timeout or nothing when the
 * caller cancelled), interrupts the body when the call ends early, and gives the admission
 * permit back only when the body's thread is done with it.
 */
final class CallJob {

    /** The work of a call: runs on a handler thread; what it throws becomes the call's status. */
    interface Body {
        void run() throws Exception;
    }

    private static final Logger logger = Logger.getLogger(CallJob.class.getName());
    /** One line per 10 s for each recurring event, whatever the call rate (one watcher runs one function). */
    private static final LogWindow TIMEOUTS = new LogWindow(logger, Level.WARNING);
    private static final LogWindow FAILURES = new LogWindow(logger, Level.WARNING);

    private final String function;
    private final ReplySink sink;
    private final Runnable releasePermit;
    private final Watchdog watchdog;
    private final HandlerThreads threads;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile FutureTask<Void> task;
    private volatile Thread runner;
    private volatile boolean cancelled;

    CallJob(String function, ReplySink sink, Runnable releasePermit, ScheduledExecutorService timer,
            long timeoutMillis, Deadline callerDeadline, HandlerThreads threads) {
        this.function = requireNonNull(function, "function");
        this.sink = requireNonNull(sink, "sink");
        this.releasePermit = requireNonNull(releasePermit, "releasePermit");
        this.watchdog = new Watchdog(timer, timeoutMillis, callerDeadline, this::expire);
        this.threads = requireNonNull(threads, "threads");
    }

    Watchdog watchdog() {
        return watchdog;
    }

    /** Runs {@code body} on {@code executor} with {@code classLoader} as the thread's context class loader. */
    void start(ExecutorService executor, ClassLoader classLoader, Body body) {
        FutureTask<Void> future = new FutureTask<>(() -> {
            run(body);
            return null;
        });
        task = future;
        if (cancelled) {
            future.cancel(true);
        }
        try {
            executor.execute(() -> {
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                thread.setContextClassLoader(classLoader);
                runner = thread;
                threads.started(this);
                try {
                    future.run();
                } finally {
                    runner = null;
                    threads.finished(this);
                    thread.setContextClassLoader(previous);
                    release();
                }
            });
        } catch (RejectedExecutionException e) {
            release();
            sink.fail(Statuses.draining(function));
        }
    }

    /** The caller cancelled, or its deadline passed: stop the body, send nothing. */
    void cancel() {
        cancelled = true;
        sink.cancelled();
        interrupt();
        threads.overran(this, 0);
    }

    /** Whether the handler thread is inside {@code System.exit} (which never returns). */
    boolean isExiting() {
        Thread thread = runner;
        if (thread == null) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if ("java.lang.Shutdown".equals(frame.getClassName())) {
                return true;
            }
        }
        return false;
    }

    /** Ends the call with {@code status} while its handler thread runs on; true if this ended it. */
    boolean abandon(Status status) {
        watchdog.disarm();
        return sink.fail(status);
    }

    private void expire(long millis) {
        if (sink.fail(Statuses.timedOut(function, millis))) {
            TIMEOUTS.log(null, "function=" + function + " call timed out after " + millis
                    + " ms; interrupting the handler");
            interrupt();
            threads.overran(this, millis);
        }
    }

    private void run(Body body) {
        try {
            body.run();
            sink.complete();
        } catch (Throwable failure) {
            Status status = Statuses.of(failure);
            if (!sink.fail(status)) {
                logger.log(Level.FINE, failure, () -> "function=" + function + " call ended before the handler failed");
            } else if (failure instanceof FunctionException) {
                logger.log(Level.FINE, () -> "function=" + function + " handler failed: " + status);
            } else {
                FAILURES.log(failure, "function=" + function + " handler failed: "
                        + status.getCode() + " " + status.getDescription());
            }
        } finally {
            watchdog.disarm();
        }
    }

    private void interrupt() {
        FutureTask<Void> current = task;
        if (current != null) {
            current.cancel(true);
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            releasePermit.run();
        }
    }
}
