package io.dcf.gateway.invoke;

import static java.util.Objects.requireNonNull;

import java.util.function.BooleanSupplier;

/**
 * Paces one direction of a relayed stream. The next message is asked of the sender while
 * what was passed on and not yet taken by the receiver's transport stays under a byte window;
 * past it, only once the receiver has taken everything (its onReady). So several messages can
 * be on their way at once (each hop's {@code isReady} alone lets only one through at a time),
 * and the gateway still holds at most about the window plus one message per direction and
 * stream, whatever the sender does.
 */
final class RelayWindow {

    /** Bytes passed on and not yet taken by the receiver, at most, before the sender waits. */
    static final long DEFAULT_BYTES = 1 << 20;

    private final long windowBytes;
    private final BooleanSupplier receiverReady;
    private final Runnable requestNext;
    private long pendingBytes;
    private boolean waiting;

    /**
     * @param receiverReady true when the receiver's transport has taken everything passed on
     * @param requestNext   asks the sender for one more message
     */
    RelayWindow(long windowBytes, BooleanSupplier receiverReady, Runnable requestNext) {
        if (windowBytes <= 0) {
            throw new IllegalArgumentException("windowBytes: " + windowBytes + " (expected: > 0)");
        }
        this.windowBytes = windowBytes;
        this.receiverReady = requireNonNull(receiverReady, "receiverReady");
        this.requestNext = requireNonNull(requestNext, "requestNext");
    }

    /** A message of {@code bytes} was passed on: asks for the next now if the window allows, else on drain. */
    void passed(long bytes) {
        boolean next;
        synchronized (this) {
            pendingBytes = receiverReady.getAsBoolean() ? 0 : pendingBytes + bytes;
            next = pendingBytes < windowBytes;
            waiting = !next;
        }
        if (next) {
            requestNext.run();
        }
    }

    /** The receiver's transport took everything passed on: a waiting sender may go on. */
    void drained() {
        boolean next;
        synchronized (this) {
            pendingBytes = 0;
            next = waiting;
            waiting = false;
        }
        if (next) {
            requestNext.run();
        }
    }

    /** Whether the sender waits for the receiver to drain. */
    synchronized boolean isWaiting() {
        return waiting;
    }
}
