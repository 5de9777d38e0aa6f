package io.dcf.build.kaniko;

import io.dcf.build.BuildCancelledException;
import io.dcf.build.BuildEvents;
import io.dcf.build.BuildFailedException;
import io.dcf.proto.v1.BuildPhase;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build Job from creation to its end: creates it, looks at it and its pod every
 * {@link KanikoSettings#pollInterval()}, follows the executor's log once it runs, and ends
 * with the digest, a {@link BuildFailedException} saying why (with the log's last lines), or
 * a {@link BuildCancelledException}. The Job is deleted (propagation Background) at once on
 * cancel, and when the build ends unless {@link KanikoSettings#keepFinishedJobs()}.
 */
final class KanikoJob {

    private static final Logger log = LoggerFactory.getLogger(KanikoJob.class);
    /** How long after its pod's executor ended the log stream may take to deliver its last lines. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(30);
    /** Past the Job's own deadline, how long build-service waits for the Job controller to say so. */
    private static final Duration GRACE = Duration.ofMinutes(1);
    private static final int FAILURE_TAIL = 10;

    private final KanikoImageBuilder builder;
    private final KanikoSettings settings;
    private final KanikoBuild build;
    private final BuildEvents events;
    private final String name;
    private final String namespace;
    private ContainerLog executorLog;
    private boolean pushing;

    KanikoJob(KanikoImageBuilder builder, KanikoBuild build, BuildEvents events) {
        this.builder = builder;
        this.settings = builder.settings;
        this.build = build;
        this.events = events;
        this.name = build.jobName();
        this.namespace = settings.namespace();
    }

    /** Runs the Job; returns the pushed digest. */
    String run() {
        V1Job job = KanikoJobSpecs.job(settings, build);
        KubeCalls.call("create the build Job " + namespace + "/" + name,
                () -> builder.batch.createNamespacedJob(namespace, job).execute());
        log.info("Kaniko build started: build={} function={} namespace={} job={}", build.buildId(), build.function(),
                namespace, name);
        boolean keep = settings.keepFinishedJobs();
        try {
            String digest = follow();
            log.info("Kaniko build pushed: build={} function={} digest={}", build.buildId(), build.function(), digest);
            return digest;
        } catch (BuildCancelledException e) {
            keep = false;
            log.info("Kaniko build cancelled: build={} function={} job={} deleted", build.buildId(), build.function(), name);
            throw e;
        } catch (BuildFailedException e) {
            log.info("Kaniko build failed: build={} function={}: {}", build.buildId(), build.function(), e.getMessage());
            throw e;
        } finally {
            if (executorLog != null) {
                executorLog.close();
            }
            if (!keep) {
                delete();
            }
        }
    }

    private String follow() {
        long deadline = System.nanoTime() + settings.activeDeadline().plus(GRACE).toNanos();
        while (true) {
            if (events.cancelled()) {
                throw new BuildCancelledException(build.buildId());
            }
            V1Job job = KubeCalls.call("read the build Job " + namespace + "/" + name,
                    () -> builder.batch.readNamespacedJob(name, namespace).execute());
            PodOutcome outcome = PodOutcome.of(job, pod());
            if (outcome instanceof PodOutcome.Running running) {
                followLog(running.pod());
            } else if (outcome instanceof PodOutcome.Succeeded done) {
                followLog(done.pod());
                drainLog();
                return digest(done.message());
            } else if (outcome instanceof PodOutcome.Failed failed) {
                throw failure(failed);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new BuildFailedException("function " + build.function() + ": the build Job " + namespace + "/"
                        + name + " did not end within " + settings.activeDeadline().plus(GRACE).toSeconds() + " s");
            }
            pause();
        }
    }

    private V1Pod pod() {
        List<V1Pod> pods = KubeCalls.call("list the pods of build Job " + namespace + "/" + name,
                () -> builder.core.listNamespacedPod(namespace)
                        .labelSelector(KanikoJobSpecs.BUILD_ID_LABEL + "=" + name).execute()).getItems();
        return pods.isEmpty() ? null : pods.get(0);
    }

    /** Starts following the executor's log, again when the last try found it not readable yet. */
    private void followLog(String pod) {
        if (executorLog != null && !executorLog.endedUnread()) {
            return;
        }
        executorLog = ContainerLog.follow(builder.streams, namespace, pod, KanikoJobSpecs.EXECUTOR, builder.readers,
                this::logLine);
    }

    private void logLine(String line) {
        if (!pushing && line.contains("Pushing image to")) {
            pushing = true;
            events.phase(BuildPhase.BUILD_PHASE_PUSHING);
        }
        events.log(line);
    }

    private void drainLog() {
        try {
            if (executorLog != null && !executorLog.awaitEnd(LOG_DRAIN)) {
                log.warn("Log of build={} job={} still open {} s after the executor ended", build.buildId(), name,
                        LOG_DRAIN.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildCancelledException(build.buildId());
        }
    }

    private String digest(String message) {
        if (!PodOutcome.DIGEST.matcher(message).matches()) {
            throw new BuildFailedException("function " + build.function() + ": the Kaniko executor exited 0 but"
                    + " wrote no digest to " + KanikoJobSpecs.TERMINATION_LOG + " (its termination message: '"
                    + (message.length() > 100 ? message.substring(0, 100) + "..." : message) + "')");
        }
        return message;
    }

    private BuildFailedException failure(PodOutcome.Failed failed) {
        List<String> tail = List.of();
        if (KanikoJobSpecs.EXECUTOR.equals(failed.logOf()) && failed.pod() != null) {
            followLog(failed.pod());
            drainLog();
            tail = executorLog.tail();
        } else if (KanikoJobSpecs.FETCHER.equals(failed.logOf())) {
            tail = ContainerLog.tail(builder.core, namespace, failed.pod(), KanikoJobSpecs.FETCHER, FAILURE_TAIL);
            tail.forEach(line -> events.log("[" + KanikoJobSpecs.FETCHER + "] " + line));
        }
        List<String> last = tail.subList(Math.max(0, tail.size() - FAILURE_TAIL), tail.size());
        return new BuildFailedException("function " + build.function() + ": " + failed.reason()
                + (last.isEmpty() ? "" : "; last log lines:\n" + String.join("\n", last)));
    }

    private void pause() {
        try {
            Thread.sleep(settings.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildCancelledException(build.buildId());
        }
    }

    private void delete() {
        String what = "delete the build Job " + namespace + "/" + name;
        try {
            KubeCalls.send(what, builder.batch.deleteNamespacedJob(name, namespace).propagationPolicy("Background")
                    .buildCall(null));
        } catch (ApiException e) {
            log.warn("Build Job not deleted: build={} job={}: {} (ttlSecondsAfterFinished removes it)",
                    build.buildId(), name, KubeCalls.describe(e));
        } catch (BuildFailedException e) {
            log.warn("Build Job not deleted: build={} job={}: {} (ttlSecondsAfterFinished removes it)",
                    build.buildId(), name, e.getMessage());
        }
    }
}
