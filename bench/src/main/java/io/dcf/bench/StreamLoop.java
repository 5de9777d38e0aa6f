package io.dcf.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One stream of echoed frames, as fast as flow control lets them go: a frame is sent
 * whenever the stream is ready and fewer than {@link #MAX_IN_FLIGHT} frames wait for
 * their echo. Per frame it records the time from send to echo (echoes come back in order).
 */
final class StreamLoop {

    /** Frames sent and not yet echoed, at most: HTTP/2 flow control usually holds fewer. */
    static final int MAX_IN_FLIGHT = 64;
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final StreamTarget target;
    private final byte[] frame;
    private final Duration callTimeout;

    StreamLoop(StreamTarget target, byte[] frame, Duration callTimeout) {
        this.target = requireNonNull(target, "target");
        this.frame = requireNonNull(frame, "frame");
        this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    }

    /** The scenario's name: "gateway stream 64 KiB". */
    String name() {
        return target.name() + " " + sizeName(frame.length);
    }

    /** Streams for {@code duration}, then ends the stream and waits for the last echo. */
    PhaseResult run(Duration duration) throws InterruptedException {
        Phase phase = new Phase(System.nanoTime(), duration.toNanos());
        phase.start(target.open(frame, phase));
        Duration patience = duration.plus(callTimeout).plusSeconds(5);
        if (!phase.ended.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            phase.stream.cancel("the bench gave up");
            throw new IllegalStateException(name() + ": stream still open " + patience.toSeconds()
                                            + " s after the phase started");
        }
        long elapsed = Math.max(1, phase.lastEcho - phase.startNanos);
        return new PhaseResult(name(), phase.latencies, phase.errors, elapsed, phase.firstError, Map.of())
                .withFrameBytes(frame.length);
    }

    static String sizeName(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private final class Phase implements EchoStream.Listener {
        final long startNanos;
        final long end;
        final Histogram latencies = new ConcurrentHistogram(MAX_LATENCY_NANOS, 3);
        final CountDownLatch ended = new CountDownLatch(1);
        private final ArrayDeque<Long> sent = new ArrayDeque<>();
        volatile EchoStream<?, ?> stream;
        private boolean finished;
        private boolean noneSent = true;
        long lastEcho;
        long errors;
        String firstError;

        Phase(long startNanos, long durationNanos) {
            this.startNanos = startNanos;
            this.end = startNanos + durationNanos;
            this.lastEcho = startNanos;
        }

        synchronized void start(EchoStream<?, ?> opened) {
            stream = opened;
            ready();
        }

        @Override
        public synchronized void ready() {
            if (stream == null || finished) {
                return;
            }
            long now = System.nanoTime();
            // the first frame goes even when opening the stream took the whole phase (a loaded machine)
            while ((now - end < 0 || noneSent) && sent.size() < MAX_IN_FLIGHT && stream.isReady()) {
                noneSent = false;
                sent.add(now);
                stream.send();
            }
            if (now - end >= 0) {
                finished = true;
                stream.finish();
            }
        }

        @Override
        public void echoed(int bytes) {
            synchronized (this) {
                long now = System.nanoTime();
                Long at = sent.poll();
                lastEcho = now;
                if (at != null && bytes == frame.length) {
                    latencies.recordValue(Math.min(now - at, MAX_LATENCY_NANOS));
                } else {
                    error(at == null ? "an echo nobody sent" : "echoed " + bytes + " bytes (expected: "
                                                               + frame.length + ")");
                }
            }
            ready();
        }

        @Override
        public void ended(Throwable error) {
            synchronized (this) {
                if (error != null) {
                    error(error.getClass().getSimpleName() + ": " + error.getMessage());
                } else if (!sent.isEmpty()) {
                    error("the stream ended with " + sent.size() + " frames not echoed");
                }
            }
            ended.countDown();
        }

        private void error(String message) {
            errors++;
            if (firstError == null) {
                firstError = message;
            }
        }
    }
}
