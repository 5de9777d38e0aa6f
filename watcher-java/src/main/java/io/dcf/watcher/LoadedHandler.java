package io.dcf.watcher;

import static java.util.Objects.requireNonNull;

import io.dcf.sdk.Handler;
import io.dcf.sdk.Request;
import io.dcf.sdk.Response;
import io.dcf.sdk.StreamHandler;
import java.io.Closeable;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The user's handler instance, seen through one shape whatever it implements: a plain
 * {@link Handler} serves streams one message at a time; a {@link StreamHandler} serves a
 * unary call as a stream of one. A class implementing both uses each for its own kind of call.
 */
final class LoadedHandler {

    private final Object instance;
    private final Handler unary;
    private final StreamHandler streaming;
    private final ClassLoader classLoader;

    LoadedHandler(Object instance, ClassLoader classLoader) {
        this.instance = requireNonNull(instance, "instance");
        this.classLoader = requireNonNull(classLoader, "classLoader");
        this.unary = instance instanceof Handler handler ? handler : null;
        this.streaming = instance instanceof StreamHandler handler ? handler : null;
        if (unary == null && streaming == null) {
            throw new IllegalArgumentException("instance: " + instance.getClass().getName()
                    + " (expected: an io.dcf.sdk.Handler or io.dcf.sdk.StreamHandler)");
        }
    }

    /** Whether {@code type} can be served. */
    static boolean isHandlerType(Class<?> type) {
        return Handler.class.isAssignableFrom(type) || StreamHandler.class.isAssignableFrom(type);
    }

    String className() {
        return instance.getClass().getName();
    }

    ClassLoader classLoader() {
        return classLoader;
    }

    /** One request, one response. */
    Response call(Request request) throws Exception {
        if (unary != null) {
            return checked(unary.handle(request));
        }
        Response[] first = new Response[1];
        streaming.handle(List.of(request).iterator(), response -> {
            if (first[0] == null) {
                first[0] = checked(response);
            }
        });
        return first[0] != null ? first[0] : Response.empty();
    }

    /** A stream: read {@code requests} until they end, emit to {@code replies}. */
    void stream(Iterator<Request> requests, Consumer<Response> replies) throws Exception {
        if (streaming != null) {
            streaming.handle(requests, response -> replies.accept(checked(response)));
            return;
        }
        while (requests.hasNext()) {
            replies.accept(checked(unary.handle(requests.next())));
        }
    }

    void init(io.dcf.sdk.Context context) throws Exception {
        if (unary != null) {
            unary.init(context);
        } else {
            streaming.init(context);
        }
    }

    /** Closes the handler, then its class loader. */
    void close() throws Exception {
        try {
            if (unary != null) {
                unary.close();
            } else {
                streaming.close();
            }
        } finally {
            if (classLoader instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }

    private static Response checked(Response response) {
        if (response == null) {
            throw new IllegalStateException("handler returned null");
        }
        return response;
    }
}
