package io.dcf.build.service;

import static java.util.Objects.requireNonNull;

import io.dcf.build.BuildCancelledException;
import io.dcf.build.BuildFailedException;
import io.dcf.build.BuildInput;
import io.dcf.build.BuiltImage;
import io.dcf.build.ImageBuilder;
import io.dcf.build.jib.NotPureRequirementsException;
import io.dcf.proto.v1.BuildPhase;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs builds on a bounded pool ({@code concurrency} workers, {@code maxQueued} waiting; more
 * are refused), each with a time limit, and deletes each build's work directory when it ends.
 */
final class BuildRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildRunner.class);

    private final Map<String, ImageBuilder> builders;
    private final Duration timeout;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;

    BuildRunner(Map<String, ImageBuilder> builders, int concurrency, int maxQueued, Duration timeout) {
        this.builders = Map.copyOf(requireNonNull(builders, "builders"));
        this.timeout = requireNonNull(timeout, "timeout");
        BlockingQueue<Runnable> queue = maxQueued == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(maxQueued);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS, queue,
                r -> new Thread(r, "dcf-build-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dcf-build-timer"));
    }

    /** Whether a builder of that name is configured. */
    boolean has(String builder) {
        return builders.containsKey(builder);
    }

    /** Queues the build; RESOURCE_EXHAUSTED when every worker is busy and the queue is full. */
    void submit(BuildRecord record, BuildInput input, BuilderChoice.Choice choice) {
        record.builder(choice.builder());
        record.phase(BuildPhase.BUILD_PHASE_QUEUED);
        AtomicBoolean started = new AtomicBoolean();
        FutureTask<Void> task = new FutureTask<>(() -> {
            if (started.compareAndSet(false, true)) {
                run(record, input, choice);
            }
        }, null) {
            @Override
            protected void done() {
                if (isCancelled() && started.compareAndSet(false, true)) { // cancelled while queued
                    ended(record, "build " + record.id() + " was cancelled before it started");
                    WorkDirs.delete(record.workDir());
                }
            }
        };
        try {
            record.task(task);
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            String message = "function " + record.function() + ": " + workers.getActiveCount() + " builds running and "
                    + workers.getQueue().size() + " waiting (dcf.build.concurrency, dcf.build.max-queued); try later";
            record.fail(message);
            WorkDirs.delete(record.workDir());
            throw new BuildServiceException(Status.Code.RESOURCE_EXHAUSTED, message);
        }
    }

    private void run(BuildRecord record, BuildInput input, BuilderChoice.Choice choice) {
        long started = System.nanoTime();
        ScheduledFuture<?> deadline = timer.schedule(() -> record.requestCancel("build " + record.id()
                + " of function " + record.function() + " timed out after " + timeout + " (dcf.build.build-timeout)"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (record.cancelled()) {
                throw new BuildCancelledException(record.id());
            }
            record.log("builder " + choice.builder() + " (" + choice.reason() + ")");
            record.phase(BuildPhase.BUILD_PHASE_BUILDING);
            BuiltImage image = build(record, input, choice);
            record.succeed(image);
            log.info("Built function={} build={} builder={} image={} in {} ms", record.function(), record.id(),
                    record.builder(), image.reference(), (System.nanoTime() - started) / 1_000_000);
        } catch (BuildCancelledException | CancellationException e) {
            ended(record, "build " + record.id() + " was cancelled");
        } catch (BuildFailedException e) {
            if (record.cancelled()) {
                ended(record, "build " + record.id() + " was cancelled");
            } else {
                log.info("Build failed function={} build={}: {}", record.function(), record.id(), e.getMessage());
                record.fail(e.getMessage());
            }
        } catch (RuntimeException e) {
            if (record.cancelled()) {
                ended(record, "build " + record.id() + " was cancelled");
            } else {
                log.error("Build {} of function {} failed unexpectedly in builder {}", record.id(), record.function(),
                        record.builder(), e);
                record.fail("function " + record.function() + ": the " + record.builder() + " builder failed"
                        + " unexpectedly (" + e.getClass().getSimpleName() + "); the build-service log has the"
                        + " details of build " + record.id());
            }
        } finally {
            deadline.cancel(false);
            Thread.interrupted(); // a cancel's interrupt must not leak into the next build on this worker
            WorkDirs.delete(record.workDir());
        }
    }

    private BuiltImage build(BuildRecord record, BuildInput input, BuilderChoice.Choice choice) {
        try {
            return builders.get(choice.builder()).build(input, record);
        } catch (NotPureRequirementsException e) {
            if (!choice.automatic()) {
                throw e;
            }
            ImageBuilder kaniko = builders.get(BuilderChoice.KANIKO);
            if (kaniko == null) {
                throw new BuildFailedException(e.getMessage() + "; such builds need the kaniko builder, which is not"
                        + " configured in this build-service");
            }
            record.log(e.getMessage() + ": building with kaniko instead");
            record.builder(BuilderChoice.KANIKO);
            return kaniko.build(input, record);
        }
    }

    private static void ended(BuildRecord record, String cancelled) {
        String reason = record.cancelReason();
        if (reason.isEmpty()) {
            record.cancel(cancelled);
        } else {
            record.fail(reason);
        }
    }

    /** Cancels every build, stops the workers and the timer, waiting up to {@code grace}. */
    void close(Iterable<BuildRecord> running, Duration grace) {
        running.forEach(r -> r.requestCancel("build " + r.id() + " stopped: the build-service shut down"));
        workers.shutdownNow();
        timer.shutdownNow();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Builds still running {} after shutdown began", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(java.util.List.of(), Duration.ofSeconds(10));
    }
}
