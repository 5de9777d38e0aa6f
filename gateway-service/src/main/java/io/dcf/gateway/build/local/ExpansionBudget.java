package io.dcf.gateway.build.local;

import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.InvalidFunctionSpecException;
import io.grpc.Status;

/**
 * The bytes that code being installed may take on disk, shared by every deploy and
 * update in progress: three zip bombs at once get one budget between them, not one
 * each. A deploy takes a {@link Reservation} and gives it back when it ends.
 */
final class ExpansionBudget {

    private final long maxBytes;
    private long used;

    ExpansionBudget(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Bytes reserved by installs in progress. */
    synchronized long used() {
        return used;
    }

    /** Opens an empty reservation for one install of {@code function}. */
    Reservation reserve(String function) {
        return new Reservation(function);
    }

    private synchronized void take(Reservation r, long bytes) {
        if (r.held + bytes > maxBytes) {
            throw new InvalidFunctionSpecException("function " + r.function + ": " + r.what
                    + " expands to more than " + maxBytes + " bytes (the limit of dcf.gateway.local.max-code-size)");
        }
        if (used + bytes > maxBytes) {
            throw new DcfException(Status.Code.RESOURCE_EXHAUSTED, "function " + r.function
                    + ": other deploys in progress are using " + (used - r.held) + " of the " + maxBytes
                    + " bytes that code being installed may take at once; retry when they finish");
        }
        used += bytes;
        r.held += bytes;
    }

    private synchronized void give(Reservation r) {
        used -= r.held;
        r.held = 0;
    }

    /** Bytes one install holds; {@link #close()} gives them back. Not thread-safe: one install, one thread. */
    final class Reservation implements AutoCloseable {

        private final String function;
        private String what = "its code";
        private long held;

        private Reservation(String function) {
            this.function = function;
        }

        /** Names what is being expanded, for the message when it is too large ("source archive"). */
        Reservation describing(String what) {
            this.what = what;
            return this;
        }

        /** Takes {@code bytes} more; fails (nothing taken) when this install or all together would pass the limit. */
        void add(long bytes) {
            take(this, bytes);
        }

        long held() {
            return held;
        }

        @Override
        public void close() {
            give(this);
        }
    }
}
