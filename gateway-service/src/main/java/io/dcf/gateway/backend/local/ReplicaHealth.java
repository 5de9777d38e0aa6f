package io.dcf.gateway.backend.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether one running replica process belongs in rotation. Active checks: once it is
 * ready, its grpc.health service is asked every interval with a short deadline
 * ({@link HealthCheckSettings}); an answer other than SERVING takes it out at once
 * (NOT_READY), no answer a few times in a row too (a stopped or hung process), and the
 * next SERVING answer puts it back. Passive: the invocation path may
 * {@link #eject(String) eject} it after calls failed in a row; it stays out for at least
 * the ejection time and comes back with the first SERVING answer after that.
 */
final class ReplicaHealth implements AutoCloseable {

    enum Verdict { READY, NOT_READY, EJECTED }

    /** Told every change of verdict, outside this object's lock. */
    interface Listener {
        void changed(Verdict verdict, String message);
    }

    private final HealthCheckSettings settings;
    private final HealthClient client;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private Verdict verdict = Verdict.READY;
    private int failuresInRow;
    private long ejectedUntil;
    private ScheduledFuture<?> checks;
    private boolean closed;

    ReplicaHealth(int port, HealthCheckSettings settings, ScheduledExecutorService scheduler, Listener listener) {
        this.settings = settings;
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
            long every = settings.interval().toMillis();
            checks = scheduler.scheduleWithFixedDelay(() -> client.check(settings.timeout()).thenAccept(this::judge),
                    every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Takes the replica out of rotation for at least the ejection time; ignored unless it is READY. */
    void eject(String reason) {
        synchronized (this) {
            if (closed || verdict != Verdict.READY) {
                return;
            }
            verdict = Verdict.EJECTED;
            ejectedUntil = System.nanoTime() + settings.ejection().toNanos();
        }
        listener.changed(Verdict.EJECTED, "ejected: " + reason + "; re-probed every " + settings.interval().toMillis()
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
                if (verdict == Verdict.NOT_READY || !answer.answered() && failuresInRow < settings.unhealthyAfter()) {
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
