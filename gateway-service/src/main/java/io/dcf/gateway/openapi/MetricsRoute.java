package io.dcf.gateway.openapi;

/** How the gateway serves {@code GET /metrics} ({@code dcf.gateway.metrics}), so the document says the same. */
public enum MetricsRoute {
    /** Metrics are off: no route. */
    NOT_SERVED,
    /** Anyone who reaches the port may read it (as Prometheus scrapes OpenFaaS). */
    OPEN,
    /** It needs the gateway's token. */
    TOKEN
}
