package io.dcf.gateway.invoke;

import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.error.FunctionNotFoundException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier detection: counts, per endpoint, the calls in a row that failed in a way
 * that blames the replica ({@link ReplicaFailures#replicaFault}); at
 * {@link #CONSECUTIVE_FAILURES} it asks the backend to eject the endpoint, which then stays
 * out of the route until its health answers SERVING again. Any answer from the replica,
 * a handler's error included, resets the count: a handler that fails or times out never
 * gets a healthy replica ejected.
 *
 * <p>It never ejects the last endpoint in the route: with no other replica, ejecting would
 * turn every call into an immediate 503, while keeping it lets calls through as soon as the
 * replica recovers and leaves the verdict to the active health checks, which do take a
 * replica that does not answer them out of rotation.
 */
final class OutlierDetector {

    static final int CONSECUTIVE_FAILURES = 3;
    /** Endpoints are counted only while they fail; past this many the counts start over. */
    private static final int MAX_TRACKED = 1024;
    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final EndpointResolver resolver;
    private final ConcurrentMap<Endpoint, AtomicInteger> failures = new ConcurrentHashMap<>();

    OutlierDetector(EndpointResolver resolver) {
        this.resolver = resolver;
    }

    /** The replica behind {@code endpoint} answered. */
    void answered(Endpoint endpoint) {
        if (!failures.isEmpty()) {
            failures.remove(endpoint);
        }
    }

    /** A call to {@code endpoint} failed with {@code error}. */
    void failed(String function, Endpoint endpoint, Throwable error) {
        String fault = ReplicaFailures.replicaFault(error);
        if (fault == null) {
            answered(endpoint);
            return;
        }
        if (failures.size() > MAX_TRACKED) {
            failures.clear();
        }
        int inRow = failures.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
        if (inRow < CONSECUTIVE_FAILURES) {
            return;
        }
        failures.remove(endpoint);
        try {
            boolean othersInRoute = resolver.route(function).endpoints().stream().anyMatch(e -> e != endpoint);
            if (!othersInRoute) {
                log.debug("Not ejecting {} of function={}: it is the last endpoint in the route", endpoint, function);
                return;
            }
            String reason = inRow + " calls in a row failed (last: " + fault + ")";
            log.warn("Ejecting {} of function={}: {}", endpoint, function, reason);
            resolver.eject(function, endpoint, reason);
        } catch (FunctionNotFoundException e) {
            // deleted meanwhile: nothing to eject
        }
    }
}
