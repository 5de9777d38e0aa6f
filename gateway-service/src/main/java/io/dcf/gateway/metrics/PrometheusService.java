package io.dcf.gateway.metrics;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format (0.0.4), the service
 * gauges refreshed first. Rendered on the blocking executor, never on an event loop.
 */
public final class PrometheusService implements HttpService {

    private static final Logger log = LoggerFactory.getLogger(PrometheusService.class);
    static final MediaType TEXT_004 = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

    private final PrometheusMeterRegistry registry;
    private final ServiceGauges services;

    public PrometheusService(PrometheusMeterRegistry registry, ServiceGauges services) {
        this.registry = requireNonNull(registry, "registry");
        this.services = requireNonNull(services, "services");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
                    "/metrics answers GET only");
        }
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
            try {
                services.refresh();
            } catch (RuntimeException e) { // the invocation meters still count: serve them
                log.warn("Could not read the functions' replica counts for /metrics: {}", e.toString());
            }
            return HttpResponse.of(HttpStatus.OK, TEXT_004, registry.scrape());
        }, ctx.blockingTaskExecutor()));
    }
}
