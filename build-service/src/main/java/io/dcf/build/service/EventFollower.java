package io.dcf.build.service;

import io.dcf.proto.v1.BuildEvent;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code Events} stream: replays a build's events, then follows it, sending only while
 * the client's flow control lets it ({@code isReady}). The builder only signals; sending runs
 * on {@code executor}, one drain at a time; a slow client holds back only itself (and past the
 * event log's bound it skips the oldest events). Completes after the {@code done} event.
 */
final class EventFollower implements EventLog.Listener {

    private static final int BATCH = 64;

    private final EventLog log;
    private final ServerCallStreamObserver<BuildEvent> observer;
    private final Executor executor;
    private final AtomicInteger pending = new AtomicInteger();
    private long next;
    private volatile boolean finished;

    EventFollower(EventLog log, ServerCallStreamObserver<BuildEvent> observer, Executor executor) {
        this.log = log;
        this.observer = observer;
        this.executor = executor;
    }

    /** Wires the stream's callbacks and starts the replay. */
    void start() {
        observer.setOnReadyHandler(this::appended);
        observer.setOnCancelHandler(() -> {
            finished = true;
            log.unsubscribe(this);
        });
        log.subscribe(this);
    }

    @Override
    public void appended() {
        if (pending.getAndIncrement() == 0) {
            executor.execute(this::drainLoop);
        }
    }

    private void drainLoop() {
        int missed = 1;
        do {
            drain();
            missed = pending.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drain() {
        while (!finished && observer.isReady()) {
            EventLog.Slice slice = log.read(next, BATCH);
            slice.events().forEach(observer::onNext);
            next = slice.next();
            if (slice.end()) {
                finished = true;
                log.unsubscribe(this);
                observer.onCompleted();
                return;
            }
            if (slice.events().isEmpty()) {
                return;
            }
        }
    }
}
