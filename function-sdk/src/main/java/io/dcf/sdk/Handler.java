package io.dcf.sdk;

/**
 * A function's entry point: one request in, one response out.
 *
 * <p>The runtime creates one instance per replica with the public no-argument
 * constructor, calls {@link #init(Context)} once before the first request (load a
 * model here), then calls {@link #handle(Request)} from many threads at once: an
 * implementation must be thread-safe. {@link #close()} runs once when the replica
 * stops, after the calls in flight have finished.
 *
 * <pre>{@code
 * public final class Echo implements Handler {
 *     @Override
 *     public Response handle(Request request) {
 *         return Response.of(request.input(), request.contentType());
 *     }
 * }
 * }</pre>
 *
 * <p>An exception thrown by {@code handle} reaches the caller as its message (gRPC
 * INTERNAL, HTTP 500), never as a stack trace; throw a {@link FunctionException} to
 * choose another status, for example {@link ErrorCode#INVALID_ARGUMENT} for bad input.
 */
public interface Handler {

    /**
     * Runs once per replica before the first call. The replica reports itself ready
     * only after this returns; if it throws, the replica fails to start. Load a model
     * here: one given with {@code dcf function update-model} is at
     * {@code context.env("DCF_MODEL_PATH", ...)} (each model update starts new replicas,
     * so a handler never has to reload one).
     */
    default void init(Context context) throws Exception {
    }

    /** Handles one call. Called concurrently; must not keep {@code request} after returning. */
    Response handle(Request request) throws Exception;

    /** Runs once when the replica stops. */
    default void close() throws Exception {
    }
}
