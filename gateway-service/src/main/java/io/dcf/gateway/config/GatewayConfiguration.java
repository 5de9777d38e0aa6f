package io.dcf.gateway.config;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import io.dcf.gateway.auth.AccessInterceptor;
import io.dcf.gateway.auth.AllowedHosts;
import io.dcf.gateway.auth.Authenticator;
import io.dcf.gateway.auth.InvokeGuard;
import io.dcf.gateway.auth.RequestGuard;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.build.FunctionBuilder;
import io.dcf.gateway.compat.CompatGrpcServices;
import io.dcf.gateway.function.FunctionService;
import io.dcf.gateway.invoke.GatewayGrpcService;
import io.dcf.gateway.invoke.GrpcErrors;
import io.dcf.gateway.invoke.HttpErrors;
import io.dcf.gateway.invoke.HttpInvokeService;
import io.dcf.gateway.invoke.JsonErrorHandler;
import io.dcf.gateway.invoke.Invoker;
import io.dcf.gateway.metrics.InvocationMeters;
import io.dcf.gateway.metrics.ManagementMetrics;
import io.dcf.gateway.model.ModelUploads;
import io.dcf.gateway.openapi.ApiDocs;
import io.dcf.gateway.openapi.MetricsRoute;
import io.dcf.gateway.scale.ActivationQueues;
import io.dcf.runtimes.RuntimeCatalog;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the gateway: the invocation path, gRPC and HTTP services, the Armeria server. The backend
 * ({@code FunctionBackend}, {@code EndpointResolver} and {@code FunctionBuilder} beans) comes from the
 * configuration {@code dcf.gateway.backend} selects: {@link LocalBackendConfiguration} or the Kubernetes one.
 */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    /** The largest gRPC message the gateway accepts or relays, whatever the body limit. */
    static final int MIN_MESSAGE_BYTES = 64 << 20;

    @Bean
    Invoker invoker(EndpointResolver resolver, GatewayProperties props, InvocationMeters meters,
                    ActivationQueues activation) {
        return new Invoker(resolver, props.defaultTimeout(), props.maxBody().toBytes(), maxMessageBytes(props), meters,
                props.streamIdleTimeout(), activation);
    }

    @Bean
    FunctionService functionService(FunctionBackend backend, FunctionBuilder builder, InvocationMeters meters,
                                    GatewayProperties props) {
        RuntimeCatalog.standard(); // read once at start: a broken list.yml stops the gateway, not its first deploy
        return new FunctionService(backend, builder, meters, props.maxReplicas());
    }

    @Bean
    Server armeriaServer(GatewayProperties props, Invoker invoker, FunctionService functions,
                         AccessInterceptor access, InvokeGuard invokeGuard, MeterRegistry registry,
                         FunctionBackend backend, Authenticator authenticator) {
        com.linecorp.armeria.server.ServerBuilder sb = Server.builder().meterRegistry(registry);
        MetricsConfiguration.metricsService(registry, backend, invoker.meters(), props, authenticator)
                .ifPresent(metrics -> sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path("/metrics").build(metrics));
        return configure(sb, props, invoker, functions, access, invokeGuard).build();
    }

    @Bean
    ServerLifecycle serverLifecycle(Server server, ObjectProvider<ServingListener> listeners, GatewayProperties props) {
        return new ServerLifecycle(server, listeners.orderedStream().toList(), props.backend());
    }

    /**
     * The gateway's routes: gRPC (dcf.v1, compat, reflection, REST transcoding), /function/, /metrics, and the
     * API's descriptions (/openapi.json, /swagger-ui/, /docs/).
     */
    private static com.linecorp.armeria.server.ServerBuilder configure(com.linecorp.armeria.server.ServerBuilder sb,
            GatewayProperties props, Invoker invoker, FunctionService functions, AccessInterceptor access,
            InvokeGuard invokeGuard) {
        String version = GatewayVersion.current();
        int maxMessage = maxMessageBytes(props);
        GrpcServiceBuilder grpc = GrpcService.builder()
                .addService(new GatewayGrpcService(invoker, functions, version,
                        new ModelUploads(props.home().toAbsolutePath().resolve("uploads"), props.maxModelSize().toBytes())))
                .addService(ProtoReflectionServiceV1.newInstance()) // grpcurl and other tools, without .proto files
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                        .errorHandler((ctx, status, response) -> HttpErrors.ofTranscoded(status))
                        .build())
                .exceptionHandler(GrpcErrors::malformedRequest)
                .maxRequestMessageLength(maxMessage)
                .maxResponseMessageLength(maxMessage)
                .intercept(access);
        CompatGrpcServices.of(invoker, functions, version).forEach(grpc::addService);
        GrpcService grpcService = grpc.build();
        ApiDocs.serve(sb, grpcService, version, metricsRoute(props));
        listen(sb, props);
        return sb.requestTimeout(Duration.ZERO)
                 .maxRequestLength(0)
                 .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(5))
                 .errorHandler(new JsonErrorHandler())
                 .decorator(new RequestGuard(AllowedHosts.of(props.bindAddress(), props.allowedHosts())))
                 .service(grpcService, DelayedStreamReset::new, ManagementMetrics.decorator())
                 .serviceUnder("/function/", new HttpInvokeService(invoker).decorate(invokeGuard));
    }

    /** Plaintext, or only TLS when {@code dcf.gateway.tls} names a certificate and a key. */
    private static void listen(com.linecorp.armeria.server.ServerBuilder sb, GatewayProperties props) {
        InetSocketAddress address = new InetSocketAddress(props.bindAddress(), props.port());
        GatewayProperties.Tls tls = props.tls();
        if (!tls.enabled()) {
            sb.http(address);
            return;
        }
        if (tls.cert().isBlank() || tls.key().isBlank()) {
            throw new IllegalStateException("dcf.gateway.tls: set both cert and key (PEM files), or neither");
        }
        sb.https(address).tlsProvider(TlsFiles.provider(Path.of(tls.cert()), Path.of(tls.key()),
                tls.reloadInterval()))
                .childChannelPipelineCustomizer(PlaintextOnTlsPort.customizer(Duration.ofMinutes(1)));
    }

    static int maxMessageBytes(GatewayProperties props) {
        long body = props.maxBody().toBytes() + (1 << 20);
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_MESSAGE_BYTES, body));
    }

    /** How {@code /metrics} is served, so the OpenAPI document says the same as the route. */
    private static MetricsRoute metricsRoute(GatewayProperties props) {
        if (!props.metrics().enabled()) {
            return MetricsRoute.NOT_SERVED;
        }
        return props.metrics().tokenRequired() ? MetricsRoute.TOKEN : MetricsRoute.OPEN;
    }
}
