package io.dcf.gateway.openapi;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.swagger.v3.oas.models.OpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The gateway's self-description, readable without a token (it says no more than gRPC reflection does;
 * what "Try it out" sends still needs the token): {@code GET /openapi.json}, Swagger UI at
 * {@code /swagger-ui/} (the webjar's files with our {@code swagger-initializer.js}), and Armeria's
 * DocService at {@code /docs/} for the gRPC methods REST cannot show (Invoke, Invokes, Logs, UpdateModel).
 */
public final class ApiDocs {

    static final String OPENAPI_PATH = "/openapi.json";
    static final String SWAGGER_UI = "/swagger-ui/";
    static final String DOCS = "/docs/";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String INITIALIZER = "swagger-initializer.js";
    private static final List<HttpMethod> READS = List.of(HttpMethod.GET, HttpMethod.HEAD);

    private ApiDocs() {
    }

    /** Adds the three to {@code sb}, the document generated now from {@code grpc}'s services. */
    public static void serve(ServerBuilder sb, GrpcService grpc, String version, MetricsRoute metrics) {
        requireNonNull(sb, "sb");
        OpenAPI api = OpenApiDocument.of(protoServices(grpc), version, metrics);
        HttpData document = HttpData.wrap(OpenApiDocument.json(api));
        ResponseHeaders json = ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache").build();
        HttpData initializer = HttpData.wrap(resource(ApiDocs.class.getClassLoader(),
                "io/dcf/gateway/openapi/" + INITIALIZER));
        ResponseHeaders javascript = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JAVASCRIPT_UTF_8).set(HttpHeaderNames.CACHE_CONTROL, "no-cache").build();
        sb.route().methods(READS).path(OPENAPI_PATH).build(constant(json, document));
        sb.route().methods(READS).path("/swagger-ui")
          .build((ctx, req) -> HttpResponse.ofRedirect(HttpStatus.MOVED_PERMANENTLY, SWAGGER_UI));
        sb.route().methods(READS).path(SWAGGER_UI + INITIALIZER).build(constant(javascript, initializer));
        sb.route().methods(READS).pathPrefix(SWAGGER_UI)
          .build(FileService.builder(ApiDocs.class.getClassLoader(), WEBJAR + webjarVersion()).build());
        sb.serviceUnder(DOCS, DocService.builder()
                  .exampleHeaders("dcf.v1.Gateway", HttpHeaders.of(HttpHeaderNames.AUTHORIZATION, "Bearer <token>"))
                  .build());
    }

    /** The protobuf descriptors of the services {@code grpc} serves. */
    static List<ServiceDescriptor> protoServices(GrpcService grpc) {
        return grpc.services().stream()
                .map(ServerServiceDefinition::getServiceDescriptor)
                .map(io.grpc.ServiceDescriptor::getSchemaDescriptor)
                .filter(ProtoServiceDescriptorSupplier.class::isInstance)
                .map(supplier -> ((ProtoServiceDescriptorSupplier) supplier).getServiceDescriptor())
                .toList();
    }

    private static HttpService constant(ResponseHeaders headers, HttpData body) {
        return (ctx, req) -> HttpResponse.of(headers, body);
    }

    /** The Swagger UI webjar's version, from its Maven metadata (the files sit under a versioned folder). */
    static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException(WEBJAR_POM + " is not on the class path (org.webjars:swagger-ui)");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WEBJAR_POM, e);
        }
        return requireNonNull(pom.getProperty("version"), WEBJAR_POM + ": version");
    }

    private static byte[] resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
