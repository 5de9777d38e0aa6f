package io.dcf.build.kaniko;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A build container's log, followed on a reader thread: each line goes to the build's
 * events, and the last {@link #TAIL} lines are kept for the failure message. The stream ends
 * when the container does; {@link #close} cancels it earlier.
 */
final class ContainerLog implements AutoCloseable {

    static final int TAIL = 20;
    private static final Logger log = LoggerFactory.getLogger(ContainerLog.class);

    private final Deque<String> tail = new ArrayDeque<>(TAIL);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Call call;
    private volatile boolean readable;
    private volatile int lines;

    private ContainerLog() {
    }

    /** Starts following {@code container} of {@code pod} on {@code readers}; each line goes to {@code sink}. */
    static ContainerLog follow(CoreV1Api streams, String namespace, String pod, String container, Executor readers,
                               Consumer<String> sink) {
        ContainerLog follower = new ContainerLog();
        try {
            follower.call = streams.readNamespacedPodLog(pod, namespace).container(container).follow(true)
                    .buildCall(null);
        } catch (ApiException e) {
            follower.ended.countDown();
            return follower;
        }
        readers.execute(() -> follower.read(pod, sink));
        return follower;
    }

    /** The last lines of {@code container}, read once through {@code requests} (no follow); empty when unreadable. */
    static List<String> tail(CoreV1Api requests, String namespace, String pod, String container, int lines) {
        try (Response response = requests.readNamespacedPodLog(pod, namespace).container(container).tailLines(lines)
                .buildCall(null).execute()) {
            if (!response.isSuccessful() || response.body() == null) {
                return List.of();
            }
            return response.body().string().lines().toList();
        } catch (ApiException | IOException e) {
            log.debug("Log of pod={} container={} not readable: {}", pod, container, e.toString());
            return List.of();
        }
    }

    private void read(String pod, Consumer<String> sink) {
        try (Response response = call.execute()) {
            if (!response.isSuccessful() || response.body() == null) {
                log.debug("Log of pod={} not readable: HTTP {}", pod, response.code());
                return;
            }
            readable = true;
            BufferedSource source = response.body().source();
            String line;
            while ((line = source.readUtf8Line()) != null) {
                remember(line);
                sink.accept(line);
            }
        } catch (IOException e) {
            log.debug("Log stream of pod={} ended: {}", pod, e.toString());
        } finally {
            ended.countDown();
        }
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(line);
        lines++;
    }

    /** Waits up to {@code timeout} for the stream to end; true when it did. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the stream ended without a line having been read (the container was not readable yet). */
    boolean endedUnread() {
        return ended.getCount() == 0 && (!readable || lines == 0);
    }

    /** The last lines read, oldest first. */
    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    @Override
    public void close() {
        Call c = call;
        if (c != null) {
            c.cancel();
        }
    }
}
