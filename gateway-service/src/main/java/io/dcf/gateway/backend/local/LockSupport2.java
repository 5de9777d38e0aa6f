package io.dcf.gateway.backend.local;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A short pause on a blocking (never an event-loop) thread while polling a condition. */
final class LockSupport2 {

    private LockSupport2() {
    }

    static void parkMillis(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
