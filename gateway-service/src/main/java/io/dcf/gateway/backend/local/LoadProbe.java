package io.dcf.gateway.backend.local;

import io.dcf.proto.v1.LoadRequest;
import io.grpc.Status;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a replica that took a pooled process to ready, as {@link StartupProbe} brings a cold one:
 * sends the process its Load (deadline: the ready timeout); once the handler has loaded, the
 * replica's health checks start and it is ready. A failed Load makes the watcher exit as a failed
 * start would (its owner sees the exit); one that does not exit within the drain timeout and the
 * close margin is killed. Gives up quietly once the process is no longer its owner's starting one.
 */
final class LoadProbe {

    private static final Logger log = LoggerFactory.getLogger(LoadProbe.class);

    private final PooledProcess pooled;
    private final LoadRequest load;
    private final LocalSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Predicate<Process> starting;
    private final BiFunction<Process, Integer, ReplicaHealth> listening;
    private final StartupProbe.Ready ready;
    private final String replica;

    /**
     * {@code starting}, {@code listening} and {@code ready} as for {@link StartupProbe};
     * {@code replica}: how log lines name it ({@code replica 0 of function=echo}).
     */
    LoadProbe(PooledProcess pooled, LoadRequest load, LocalSettings settings, ScheduledExecutorService scheduler,
              Predicate<Process> starting, BiFunction<Process, Integer, ReplicaHealth> listening,
              StartupProbe.Ready ready, String replica) {
        this.pooled = pooled;
        this.load = load;
        this.settings = settings;
        this.scheduler = scheduler;
        this.starting = starting;
        this.listening = listening;
        this.ready = ready;
        this.replica = replica;
    }

    void start() {
        Process p = pooled.process();
        int port = pooled.port();
        LoadClient.load(port, pooled.secret(), load, settings.readyTimeout()).whenComplete((reply, error) -> {
            if (error == null) {
                ReplicaHealth checks = listening.apply(p, port);
                if (checks != null) {
                    ready.ready(p, checks, port);
                }
                return;
            }
            Status status = Status.fromThrowable(error);
            log.warn("{} pid={}: its Load failed: {} {}", replica, p.pid(), status.getCode(), status.getDescription());
            long grace = settings.drainTimeout().plus(ProcessTermination.CLOSE_MARGIN).toMillis();
            scheduler.schedule(() -> {
                if (starting.test(p)) {
                    log.warn("{} pid={} still running {} ms after its failed Load; killing it", replica, p.pid(), grace);
                    p.destroyForcibly();
                }
            }, grace, TimeUnit.MILLISECONDS);
        });
    }
}
