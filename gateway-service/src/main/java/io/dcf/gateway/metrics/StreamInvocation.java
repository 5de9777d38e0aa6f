package io.dcf.gateway.metrics;

/**
 * One stream (Invokes) being measured. Each request message forwarded to the replica is a
 * call: it ends with code 200 when its reply comes back (replies come in request order,
 * watcher contract), or with the stream's code when the stream ends first. The stream itself
 * counts once in {@code dcf_function_streams_total} with the code its caller got.
 */
public final class StreamInvocation {

    private final FunctionMeters meters;
    private long[] starts = new long[8];
    private int head;
    private int size;
    private boolean ended;
    private int endCode;

    StreamInvocation(FunctionMeters meters) {
        this.meters = meters;
    }

    /** A request message is sent to the replica (before it is sent, so its reply finds it). */
    public synchronized void sent() {
        meters.started();
        if (ended) { // too late: the stream already ended, so does this message
            meters.ended(endCode, 0);
            return;
        }
        if (size == starts.length) {
            long[] grown = new long[starts.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = starts[(head + i) % starts.length];
            }
            starts = grown;
            head = 0;
        }
        starts[(head + size) % starts.length] = System.nanoTime();
        size++;
    }

    /** A reply came back: the oldest message waiting ends with 200. */
    public synchronized void replied() {
        if (size == 0) {
            return; // a reply without a request: the replica's business, not a call
        }
        long start = starts[head];
        head = (head + 1) % starts.length;
        size--;
        meters.ended(200, System.nanoTime() - start);
    }

    /** The stream ended with {@code httpCode} for its caller: messages still waiting end with it. Once. */
    public synchronized void end(int httpCode) {
        if (ended) {
            return;
        }
        ended = true;
        endCode = httpCode;
        long now = System.nanoTime();
        while (size > 0) {
            long start = starts[head];
            head = (head + 1) % starts.length;
            size--;
            meters.ended(httpCode, now - start);
        }
        meters.streamEnded(httpCode);
    }
}
