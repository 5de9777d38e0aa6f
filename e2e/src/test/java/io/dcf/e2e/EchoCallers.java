package io.dcf.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads posting to an echo function without pause, each call with a 30 s timeout: an answer
 * other than 200 with the body sent back is a failure. {@link #close()} stops them.
 */
final class EchoCallers implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final AtomicInteger ok = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code count} callers posting to {@code uri}. */
    EchoCallers(int count, URI uri) {
        for (int t = 0; t < count; t++) {
            Thread caller = new Thread(() -> call(uri), "caller-" + t);
            caller.setDaemon(true);
            caller.start();
            threads.add(caller);
        }
    }

    private void call(URI uri) {
        int i = 0;
        while (running.get()) {
            String body = Thread.currentThread().getName() + " " + i++;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() == 200 && r.body().equals(body)) {
                    ok.incrementAndGet();
                } else {
                    failures.add(r.statusCode() + " " + r.body());
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }
    }

    /** The calls answered with their echo so far. */
    int ok() {
        return ok.get();
    }

    /** What each failed call got (status and body, or the exception), a live view. */
    ConcurrentLinkedQueue<String> failures() {
        return failures;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
