package io.dcf.watcher;

import io.dcf.sdk.FunctionException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The one place where a handler's failures and the watcher's refusals become gRPC statuses. */
final class Statuses {

    /**
     * The trailer on a call the watcher refused before running the handler: {@code loading},
     * {@code draining} or {@code at-limit}. The gateway resends a refused call to another replica
     * by this key, never by the message text (docs/watcher-contract.md).
     */
    static final Metadata.Key<String> REFUSED = Metadata.Key.of("dcf-refused", Metadata.ASCII_STRING_MARSHALLER);

    private Statuses() {
    }

    /**
     * The status a caller sees for {@code failure}: a {@link FunctionException}'s own code and
     * message, anything else {@code INTERNAL} with its message. Never a stack trace.
     */
    static Status of(Throwable failure) {
        if (failure instanceof FunctionException e) {
            return Status.fromCode(codeOf(e)).withDescription(describe(e));
        }
        return Status.INTERNAL.withDescription(describe(failure));
    }

    /** The exception's message, or its class's simple name when it has none. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        String simpleName = failure.getClass().getSimpleName();
        return simpleName.isEmpty() ? failure.getClass().getName() : simpleName;
    }

    static Status timedOut(String function, long millis) {
        return Status.DEADLINE_EXCEEDED.withDescription("function " + function + " timed out after " + millis + " ms");
    }

    static Status atLimit(String function, int limit) {
        return Status.RESOURCE_EXHAUSTED.withDescription(
                "function " + function + " is at its concurrency limit (" + limit + ")").withCause(Refusal.AT_LIMIT);
    }

    static Status atStreamLimit(String function, int streamLimit, int limit) {
        return Status.RESOURCE_EXHAUSTED.withDescription("function " + function + " is at its stream limit ("
                + streamLimit + " of its " + limit + " slots; the others are kept for unary calls)")
                .withCause(Refusal.AT_LIMIT);
    }

    static Status loading(String function) {
        return Status.UNAVAILABLE.withDescription("function " + function + " is still loading")
                .withCause(Refusal.LOADING);
    }

    static Status draining(String function) {
        return Status.UNAVAILABLE.withDescription("function " + function + " is draining").withCause(Refusal.DRAINING);
    }

    /** What is sent for {@code status}: a refusal carries the {@link #REFUSED} trailer. */
    static StatusRuntimeException toException(Status status) {
        Metadata trailers = new Metadata();
        if (status.getCause() instanceof Refusal refusal) {
            trailers.put(REFUSED, refusal.kind);
        }
        return status.withCause(null).asRuntimeException(trailers);
    }

    private static Status.Code codeOf(FunctionException e) {
        return Status.Code.valueOf(e.code().name());
    }

    /** Marks a refusal's status (a cause is never sent); one shared instance per kind, without a stack. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        static final Refusal LOADING = new Refusal("loading");
        static final Refusal DRAINING = new Refusal("draining");
        static final Refusal AT_LIMIT = new Refusal("at-limit");

        private final String kind;

        private Refusal(String kind) {
            super(kind, null, false, false);
            this.kind = kind;
        }
    }
}
