package io.dcf.gateway.metrics;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.grpc.GrpcMeterIdPrefixFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import java.util.function.Function;

/**
 * Measures the management API's calls (gRPC and its REST transcoding: Deploy, List, Logs, ...)
 * with Armeria's {@link MetricCollectingService} as {@code dcf_gateway_management_*}, tagged by
 * service, method, HTTP and gRPC status. Invocations ({@code Invoke}, {@code Invokes}) pass by:
 * the invocation meters measure them, and they stay off the extra per-request work.
 */
public final class ManagementMetrics extends SimpleDecoratingHttpService {

    /** The meter name prefix of the management calls' meters. */
    public static final String PREFIX = "dcf.gateway.management";

    private final HttpService measured;

    private ManagementMetrics(HttpService delegate) {
        super(delegate);
        this.measured = MetricCollectingService.newDecorator(GrpcMeterIdPrefixFunction.of(PREFIX)).apply(delegate);
    }

    /** The decorator for the gRPC service (the registry is the server's, {@code ServerBuilder.meterRegistry}). */
    public static Function<? super HttpService, ManagementMetrics> decorator() {
        return ManagementMetrics::new;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        return isInvocation(ctx.path()) ? unwrap().serve(ctx, req) : measured.serve(ctx, req);
    }

    /** {@code /<service>/Invoke} and {@code /<service>/Invokes} of dcf.v1 and the compat services. */
    static boolean isInvocation(String path) {
        return path.endsWith("/Invoke") || path.endsWith("/Invokes");
    }
}
