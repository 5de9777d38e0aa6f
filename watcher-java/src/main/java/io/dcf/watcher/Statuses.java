package io.dcf.watcher;

import io.dcf.sdk.FunctionException;
import io.grpc.Status;

/** The one place where a handler's failures and the watcher's refusals become gRPC statuses. */
final class Statuses {

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
                "function " + function + " is at its concurrency limit (" + limit + ")");
    }

    static Status loading(String function) {
        return Status.UNAVAILABLE.withDescription("function " + function + " is still loading");
    }

    static Status draining(String function) {
        return Status.UNAVAILABLE.withDescription("function " + function + " is draining");
    }

    private static Status.Code codeOf(FunctionException e) {
        return Status.Code.valueOf(e.code().name());
    }
}
