package io.dcf.gateway.backend.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether one running replica process belongs in rotation. Active checks: once it is
 * ready, its grpc.health service is asked every {@link #INTERVAL} with a
 * {@link #DEADLINE}; an answer other than SERVING takes it out at once (NOT_READY), no
 * answer {@link #UNHEALTHY_AFTER} times in a row too (a stopped or hung process), and
 * the next SERVING answer puts it back. Passive: the invocation path may
 * {@link #eject(String) eject} it after calls failed in a row; it stays out for at
 * least {@link #EJECTION} and comes back with the first SERVING answer after that.
 */
final class ReplicaHealth implements AutoCloseable {

    enum Verdict { READY, NOT_READY, EJECTED }

    /** Told every change of verdict, outside this object's lock. */
    interface Listener {
        void changed(Verdict verdict, String message);
    }

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration DEADLINE = Duration.ofMillis(500);
    static final int UNHEALTHY_AFTER = 2;
    static final Duration EJECTION = Duration.ofSeconds(5);

    private final HealthClient client;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private Verdict verdict = Verdict.READY;
    private int failuresInRow;
    private long ejectedUntil;
    private ScheduledFuture<?> checks;
    private boolean closed;

    ReplicaHealth(int port, ScheduledExecutorService scheduler, Listener listener) {
        this.client = new HealthClient(port);
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /** One check with {@code deadline}, for start-up: true when the replica answers SERVING. */
    CompletableFuture<Boolean> servingOnce(Duration deadline) {
        return client.check(deadline).thenApply(HealthClient.Answer::serving);
    }

    /** Starts the periodic checks; the replica is in rotation now. */
    synchronized void watch() {
        if (!closed && checks == null) {
            checks = scheduler.scheduleWithFixedDelay(() -> client.check(DEADLINE).thenAccept(this::judge),
                    INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Takes the replica out of rotation for at least {@link #EJECTION}; ignored unless it is READY. */
    void eject(String reason) {
        synchronized (this) {
            if (closed || verdict != Verdict.READY) {
                return;
            }
            verdict = Verdict.EJECTED;
            ejectedUntil = System.nanoTime() + EJECTION.toNanos();
        }
        listener.changed(Verdict.EJECTED, "ejected: " + reason + "; re-probed every " + INTERVAL.toMillis()
                + " ms, back when its health answers SERVING");
    }

    private void judge(HealthClient.Answer answer) {
        Verdict changed;
        String message;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (answer.serving()) {
                failuresInRow = 0;
                if (verdict == Verdict.READY
                        || verdict == Verdict.EJECTED && System.nanoTime() - ejectedUntil < 0) {
                    return;
                }
                changed = Verdict.READY;
                message = "";
            } else {
                failuresInRow++;
                if (verdict == Verdict.NOT_READY || !answer.answered() && failuresInRow < UNHEALTHY_AFTER) {
                    return;
                }
                changed = Verdict.NOT_READY;
                message = "out of rotation: " + answer.problem()
                        + (answer.answered() ? "" : " (" + failuresInRow + " checks in a row)");
            }
            verdict = changed;
        }
        listener.changed(changed, message);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (checks != null) {
                checks.cancel(false);
            }
        }
        client.close();
    }
}
