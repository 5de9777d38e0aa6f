package io.dcf.gateway.backend.kubernetes;

import io.dcf.gateway.backend.LogSink;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function's logs from its pods' containers: the last {@code tail} lines of each pod
 * (name order; the sink gets each line with its pod), then, when following, every new
 * line of every pod, including pods that start later, until the sink returns false or
 * the caller cancels. Each followed pod is read by its own thread into one queue the
 * caller's thread empties, so the sink is called from one thread at a time; every
 * stream is cancelled when the call ends.
 */
final class PodLogs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodLogs.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final CoreV1Api requests;
    private final CoreV1Api streams;
    private final FunctionInformers informers;
    private final ExecutorService readers;

    PodLogs(CoreV1Api requests, CoreV1Api streams, FunctionInformers informers) {
        this.requests = requests;
        this.streams = streams;
        this.informers = informers;
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dcf-k8s-logs-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void stream(String function, int tail, boolean follow, LogSink sink, BooleanSupplier cancelled) {
        if (!follow) {
            List<V1Pod> pods = informers.pods(function);
            for (int i = 0; i < pods.size(); i++) {
                if (started(pods.get(i)) && !printTail(pods.get(i), i, tail, sink)) {
                    return;
                }
            }
            return;
        }
        new Follow(function, tail, sink, cancelled).run();
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }

    /** False when the sink wants no more. */
    private boolean printTail(V1Pod pod, int index, int tail, LogSink sink) {
        String name = pod.getMetadata().getName();
        String text;
        try {
            Call call = requests.readNamespacedPodLog(name, informers.namespace()).tailLines(tail > 0 ? tail : null)
                    .buildCall(null);
            text = body(call, name);
        } catch (ApiException e) {
            throw KubernetesErrors.map(e, "read the log of", "Pod", informers.namespace(), name);
        }
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty() && !sink.line(index, name, line)) {
                return false;
            }
        }
        return true;
    }

    private String body(Call call, String pod) {
        try (Response response = call.execute()) {
            String text = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw KubernetesErrors.map(new ApiException(response.message(), null, response.code(),
                        response.headers().toMultimap(), text), "read the log of", "Pod", informers.namespace(), pod);
            }
            return text;
        } catch (IOException e) {
            throw KubernetesErrors.map(new ApiException(e), "read the log of", "Pod", informers.namespace(), pod);
        }
    }

    /** Only a started container has a log to read. */
    private static boolean started(V1Pod pod) {
        List<V1ContainerStatus> containers = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        if (containers == null || containers.isEmpty()) {
            return false;
        }
        V1ContainerState state = containers.get(0).getState();
        return state != null && (state.getRunning() != null || state.getTerminated() != null);
    }

    private record Line(int index, String pod, String text) {
    }

    /** One followed function: a reader per pod, one queue, the caller's thread writing the sink. */
    private final class Follow {
        private final String function;
        private final int tail;
        private final LogSink sink;
        private final BooleanSupplier cancelled;
        private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(1024);
        /** Pod uid -> its stream while it is read. */
        private final Map<String, Call> open = new ConcurrentHashMap<>();
        /** Pods whose stream ended (the container stopped): not read again. */
        private final Set<String> done = ConcurrentHashMap.newKeySet();
        private final Map<String, Integer> indexes = new HashMap<>();
        /** Pod uid -> System.nanoTime() before which its log is not asked for again (it was not readable). */
        private final Map<String, Long> retryAt = new ConcurrentHashMap<>();

        Follow(String function, int tail, LogSink sink, BooleanSupplier cancelled) {
            this.function = function;
            this.tail = tail;
            this.sink = sink;
            this.cancelled = cancelled;
        }

        void run() {
            boolean first = true;
            try {
                while (!cancelled.getAsBoolean()) {
                    openNewPods(first);
                    first = false;
                    Line line = lines.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    while (line != null) {
                        if (!sink.line(line.index(), line.pod(), line.text())) {
                            return;
                        }
                        line = lines.poll();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.values().forEach(Call::cancel);
            }
        }

        /** Starts a reader for each started pod not read yet; pods that appear later are read from their start. */
        private void openNewPods(boolean first) {
            List<V1Pod> pods = informers.pods(function);
            for (int i = 0; i < pods.size(); i++) {
                V1Pod pod = pods.get(i);
                String uid = pod.getMetadata().getUid();
                indexes.putIfAbsent(uid, i);
                Long retry = retryAt.get(uid);
                if (open.containsKey(uid) || done.contains(uid) || !started(pod)
                        || retry != null && retry - System.nanoTime() > 0) {
                    continue;
                }
                Integer limit = first && tail > 0 ? tail : null;
                String name = pod.getMetadata().getName();
                Call call;
                try {
                    call = streams.readNamespacedPodLog(name, informers.namespace()).follow(true).tailLines(limit)
                            .buildCall(null);
                } catch (ApiException e) {
                    throw KubernetesErrors.map(e, "follow the log of", "Pod", informers.namespace(), name);
                }
                open.put(uid, call);
                int index = indexes.get(uid);
                readers.execute(() -> read(uid, name, index, call));
            }
        }

        private void read(String uid, String pod, int index, Call call) {
            try (Response response = call.execute()) {
                if (!response.isSuccessful() || response.body() == null) {
                    log.debug("Log of pod={} not readable yet: HTTP {}", pod, response.code());
                    retryAt.put(uid, System.nanoTime() + RETRY.toNanos());
                    return; // e.g. 400 while the container is being created: tried again next round
                }
                BufferedSource source = response.body().source();
                String line;
                while ((line = source.readUtf8Line()) != null) {
                    Line next = new Line(index, pod, line);
                    while (!lines.offer(next, POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                        if (call.isCanceled()) {
                            return;
                        }
                    }
                }
                done.add(uid);
            } catch (IOException e) {
                log.debug("Log stream of pod={} ended: {}", pod, e.toString());
                retryAt.put(uid, System.nanoTime() + RETRY.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.remove(uid);
            }
        }
    }
}
