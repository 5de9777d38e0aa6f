package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The handler threads of admitted calls, and the ones that overrun: a call that ended
 * (timed out or cancelled: its thread was interrupted) while its thread runs on. Java
 * cannot stop a thread that ignores interruption, so a thread still running
 * {@code DCF_STUCK_GRACE_MS} after its call ended has a slot (and maybe a core) for good:
 * {@code onStuck} is told once, with a one-line reason, and the watcher exits with
 * {@link #EXIT_STUCK} so that its supervisor restarts the replica. A drain does not wait
 * for overrunning calls: they answered already.
 */
final class HandlerThreads {

    /** The exit status of a replica restarted because a handler ran on past its call (EX_TEMPFAIL). */
    static final int EXIT_STUCK = 75;

    private final String function;
    private final ScheduledExecutorService timer;
    private final long graceMillis;
    private final Consumer<String> onStuck;
    private final Set<CallJob> running = ConcurrentHashMap.newKeySet();
    private final Set<CallJob> overrunning = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stuck = new AtomicBoolean();

    HandlerThreads(String function, ScheduledExecutorService timer, long graceMillis, Consumer<String> onStuck) {
        this.function = requireNonNull(function, "function");
        this.timer = requireNonNull(timer, "timer");
        this.graceMillis = graceMillis;
        this.onStuck = requireNonNull(onStuck, "onStuck");
    }

    void started(CallJob job) {
        running.add(job);
    }

    /** The job's handler thread is done with it. */
    void finished(CallJob job) {
        running.remove(job);
        overrunning.remove(job);
    }

    /** The job's call ended after {@code budgetMillis} (0: cancelled) while its handler thread runs on. */
    void overran(CallJob job, long budgetMillis) {
        if (!running.contains(job) || !overrunning.add(job)) {
            return;
        }
        try {
            timer.schedule(() -> {
                if (overrunning.contains(job) && stuck.compareAndSet(false, true)) {
                    onStuck.accept("function=" + function + " handler still running " + graceMillis
                            + " ms after its call " + (budgetMillis > 0 ? "timed out (" + budgetMillis + " ms)"
                            : "was cancelled") + " and was interrupted; exiting with status " + EXIT_STUCK
                            + " so the replica is restarted");
                }
            }, graceMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the watcher is stopping: nothing left to restart
        }
        if (!running.contains(job)) {
            overrunning.remove(job); // finished meanwhile
        }
    }

    /** Calls whose thread runs on after they answered; a drain does not wait for them. */
    int overrunning() {
        return overrunning.size();
    }

    /**
     * Fails, with UNAVAILABLE, each call whose handler thread is inside {@code System.exit}: it
     * will never return, and the caller should not wait for it while the process drains.
     */
    void abandonExiting() {
        for (CallJob job : running) {
            if (job.isExiting() && job.abandon(Status.UNAVAILABLE.withDescription("function " + function
                    + ": the handler called System.exit during the call; the replica is exiting"))) {
                overrunning.add(job);
            }
        }
    }
}
