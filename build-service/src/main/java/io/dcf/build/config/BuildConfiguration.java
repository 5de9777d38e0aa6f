package io.dcf.build.config;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.healthcheck.HealthCheckService;
import io.dcf.build.BuildServerRoutes;
import io.dcf.build.ImageBuilder;
import io.dcf.build.auth.BuildToken;
import io.dcf.build.auth.TokenInterceptor;
import io.dcf.build.bundle.BundleLimits;
import io.dcf.build.jib.JibImageBuilder;
import io.dcf.build.jib.JibSettings;
import io.dcf.build.jib.Registries;
import io.dcf.build.model.AddLayerUploads;
import io.dcf.build.model.ModelLayerBuilder;
import io.dcf.build.service.Builds;
import io.dcf.runtimes.RuntimeCatalog;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires build-service: the token, the builders, the build core, the Armeria server on one port. */
@Configuration(proxyBeanMethods = false)
class BuildConfiguration {

    /** Chunks are at most 1 MiB; a message may carry a spec beside one. */
    private static final int MAX_MESSAGE_BYTES = 4 << 20;

    @Bean
    RuntimeCatalog runtimeCatalog() {
        return RuntimeCatalog.standard(); // read at start: a broken list.yml stops the service, not its first build
    }

    @Bean
    BuildToken buildToken(BuildProperties props) {
        Path file = props.tokenFile().isBlank() ? props.workDir().resolve("token") : Path.of(props.tokenFile());
        return BuildToken.readOrCreate(file);
    }

    @Bean
    JibImageBuilder jibImageBuilder(BuildProperties props, RuntimeCatalog catalog) {
        BuildProperties.Jib jib = props.jib();
        return new JibImageBuilder(new JibSettings(jib.javaBase(), jib.pythonBase(), jib.insecureRegistries(),
                dockerConfig(jib), props.workDir().resolve("cache").resolve("base"), jib.python(), jib.pipArgs(),
                jib.pipTimeout()), catalog);
    }

    /** AddLayer (model updates): Jib with the Jib builder's registry settings, uploads under the work dir. */
    @Bean
    AddLayerUploads addLayerUploads(BuildProperties props) {
        Registries registries = new Registries(props.jib().insecureRegistries(), dockerConfig(props.jib()));
        return new AddLayerUploads(props.workDir().resolve("uploads"), props.maxModel().toBytes(),
                new ModelLayerBuilder(props.workDir().resolve("cache").resolve("models"), registries.anyInsecure(),
                        registries::named),
                CommonPools.blockingTaskExecutor());
    }

    @Bean(destroyMethod = "close")
    Builds builds(BuildProperties props, List<ImageBuilder> builders, RuntimeCatalog catalog,
                  AddLayerUploads layers) {
        BuildProperties.Bundle bundle = props.bundle();
        return Builds.create(new Builds.Settings(props.workDir(), props.registry(), props.concurrency(),
                props.maxQueued(), props.remembered(), props.maxEvents(), props.maxLogLines(), props.buildTimeout(),
                bundle.maxUpload().toBytes(), new BundleLimits(bundle.maxBytes().toBytes(), bundle.maxEntries(),
                        bundle.maxDepth())), builders, catalog, Optional.of(layers));
    }

    private static Optional<Path> dockerConfig(BuildProperties.Jib jib) {
        return jib.dockerConfig().isBlank() ? Optional.empty() : Optional.of(Path.of(jib.dockerConfig()));
    }

    @Bean
    HealthStatusManager healthStatusManager() {
        return new HealthStatusManager();
    }

    @Bean
    Server armeriaServer(BuildProperties props, Builds builds, BuildToken token, HealthStatusManager health,
                         ObjectProvider<BuildServerRoutes> routes) {
        ServerBuilder sb = Server.builder();
        configure(sb, props, builds, token, health);
        routes.orderedStream().forEach(r -> r.addTo(sb));
        return sb.build();
    }

    @Bean
    ServerLifecycle serverLifecycle(Server server, HealthStatusManager health) {
        return new ServerLifecycle(server, health);
    }

    /** build-service's routes: gRPC dcf.v1.Builder (+ REST transcoding), grpc.health.v1, reflection, GET /health. */
    static ServerBuilder configure(ServerBuilder sb, BuildProperties props, Builds builds, BuildToken token,
                                   HealthStatusManager health) {
        GrpcService grpc = GrpcService.builder()
                .addService(builds.grpcService())
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                .enableHttpJsonTranscoding(true)
                .useBlockingTaskExecutor(true)
                .maxRequestMessageLength(MAX_MESSAGE_BYTES)
                .intercept(new TokenInterceptor(token))
                .build();
        return sb.http(new InetSocketAddress(props.bindAddress(), props.port()))
                .requestTimeout(Duration.ZERO)
                .maxRequestLength(0)
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(5))
                .service(grpc)
                .service("/health", HealthCheckService.of()); // kubelet probes: no token, 200 while serving
    }
}
