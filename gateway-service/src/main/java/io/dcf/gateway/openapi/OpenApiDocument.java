package io.dcf.gateway.openapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3 description of the gateway's HTTP routes, generated from the services it serves: the REST
 * routes of their {@code google.api.http} rules with the .proto comments as descriptions and the proto3
 * JSON mapping as schemas, plus the plain routes ({@link PlainRoutes}). Built once, when the gateway starts.
 */
public final class OpenApiDocument {

    private OpenApiDocument() {
    }

    /**
     * The document of {@code services} (those without http rules add nothing).
     *
     * @param version the gateway's version, the document's {@code info.version}
     * @param metrics whether {@code /metrics} is served, and whether it needs the token
     */
    public static OpenAPI of(List<ServiceDescriptor> services, String version, MetricsRoute metrics) {
        requireNonNull(services, "services");
        requireNonNull(version, "version");
        requireNonNull(metrics, "metrics");
        ProtoComments comments = ProtoComments.fromClassPath();
        JsonSchemas schemas = new JsonSchemas(comments);
        TranscodedRoutes routes = new TranscodedRoutes(schemas, comments);
        Paths paths = new Paths();
        OpenAPI api = new OpenAPI()
                .info(new Info().title("DCF gateway").version(version)
                        .description("Management (REST under /system/, transcoded from the gRPC service dcf.v1.Gateway)"
                                + " and raw HTTP invocation (/function/). gRPC-only methods (Invoke, Invokes, Logs,"
                                + " UpdateModel) are at /docs/. Management needs the gateway's token: use Authorize."))
                .components(Operations.components())
                .security(Operations.needsToken());
        for (ServiceDescriptor service : services) {
            int added = 0;
            for (MethodDescriptor method : service.getMethods()) {
                added += routes.add(method, paths);
            }
            if (added > 0) {
                String text = comments.of(service);
                api.addTagsItem(new Tag().name(service.getFullName()).description(text.isBlank() ? null : text));
            }
        }
        api.addTagsItem(new Tag().name(PlainRoutes.TAG).description("Routes served beside the gRPC services."));
        PlainRoutes.add(paths, metrics);
        Paths sorted = new Paths();
        new TreeMap<>(paths).forEach(sorted::addPathItem);
        api.paths(sorted);
        Components components = api.getComponents();
        Map<String, io.swagger.v3.oas.models.media.Schema> all = new TreeMap<>(components.getSchemas());
        all.putAll(schemas.components());
        components.setSchemas(all);
        return api;
    }

    /** {@code api} as JSON (UTF-8), as served at {@code /openapi.json}. */
    public static byte[] json(OpenAPI api) {
        try {
            return Json.pretty().writeValueAsString(api).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document: " + e.getMessage(), e);
        }
    }
}
