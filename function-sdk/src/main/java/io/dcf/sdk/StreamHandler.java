package io.dcf.sdk;

import java.util.Iterator;
import java.util.function.Consumer;

/**
 * A function that reads a sequence of requests and emits a sequence of responses,
 * for example a video filter that receives frames and returns frames.
 *
 * <p>Each stream opened by a caller runs {@link #handle(Iterator, Consumer)} once on
 * its own thread. {@code requests.hasNext()} blocks until the caller sends the next
 * request and returns {@code false} when the caller has finished; every response
 * given to {@code replies} is sent at once, in order. Streams run concurrently, so
 * state shared between them must be thread-safe. A plain (unary) call runs the
 * handler with a single request and answers with the first response emitted.
 *
 * <p>Lifecycle is as for {@link Handler}: one instance per replica, {@link #init}
 * once before the first stream, {@link #close()} once on stop.
 */
public interface StreamHandler {

    /** Runs once per replica before the first stream. */
    default void init(Context context) throws Exception {
    }

    /** Handles one stream: read {@code requests} until it ends, emit to {@code replies}. */
    void handle(Iterator<Request> requests, Consumer<Response> replies) throws Exception;

    /** Runs once when the replica stops. */
    default void close() throws Exception {
    }
}
