package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.RoutePathType;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's descriptions on a real gateway: /openapi.json against its route table, Swagger UI's files, /docs/. */
class ApiDocsIT {

    /** Pages for people, not API routes: what the document need not list. */
    private static final Set<String> PAGES = Set.of("/swagger-ui", "/swagger-ui/swagger-initializer.js",
            "/swagger-ui/", "/docs/");

    @TempDir
    static Path home;
    private static TestGateway gw;
    private static OpenAPI api;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(home);
        HttpResponse<byte[]> doc = gw.send("GET", "/openapi.json", null, null, Map.of()); // no token
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text(doc), null, null);
        assertThat(parsed.getMessages()).as("swagger-parser's errors and warnings").isEmpty();
        api = parsed.getOpenAPI();
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void document_listsEveryHttpRouteTheGatewayServes_andNoOther() {
        Set<String> grpcPaths = grpcMethodPaths();
        List<String> served = new ArrayList<>();
        for (ServiceConfig config : gw.server().serviceConfigs()) {
            Route route = config.route();
            String path = openApiPath(route);
            if (grpcPaths.contains(route.patternString()) || PAGES.contains(path)) {
                continue;
            }
            Set<HttpMethod> methods = route.methods().size() >= HttpMethod.knownMethods().size() - 1
                                      ? Set.of(HttpMethod.GET, HttpMethod.POST) : route.methods();
            for (HttpMethod method : methods) {
                if (method != HttpMethod.HEAD) {
                    served.add(method + " " + path);
                }
            }
        }
        assertThat(grpcPaths).contains("/dcf.v1.Gateway/Invoke", "/dcf.v1.Gateway/Logs", "/pb.Gateway/Invokes");
        assertThat(served).contains("GET /system/functions", "POST /system/functions/{name}/scale",
                "GET /openapi.json", "POST /function/{name}/...");
        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet().forEach(verb ->
                documented.add(verb + " " + (path.startsWith("/function/") ? "/function/{name}/..." : path))));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(new TreeSet<>(served));
    }

    @Test
    void readingTheDocs_needsNoToken_butTheApiStillDoes() {
        assertThat(gw.send("GET", "/swagger-ui/", null, null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(gw.send("GET", "/docs/", null, null, Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> list = gw.send("GET", "/system/functions", null, null, Map.of());
        assertThat(list.statusCode()).isEqualTo(401);
        assertThat(api.getPaths().get("/system/functions").getGet().getResponses()).containsKey("401");
        assertThat(gw.send("POST", "/openapi.json", new byte[0], "application/json", Map.of()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void swaggerUi_isServedWithOurInitializer_andTheBareFolderRedirects() {
        HttpResponse<byte[]> bare = gw.send("GET", "/swagger-ui", null, null, Map.of());
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("location")).hasValue("/swagger-ui/");
        HttpResponse<byte[]> index = gw.send("GET", "/swagger-ui/", null, null, Map.of());
        assertThat(text(index)).contains("swagger-ui-bundle.js", "swagger-initializer.js");
        String initializer = text(gw.send("GET", "/swagger-ui/swagger-initializer.js", null, null, Map.of()));
        assertThat(initializer).contains("url: \"/openapi.json\"", "persistAuthorization: true")
                .doesNotContain("petstore");
        HttpResponse<byte[]> bundle = gw.send("GET", "/swagger-ui/swagger-ui-bundle.js", null, null, Map.of());
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body().length).isGreaterThan(100_000);
    }

    @Test
    void docService_showsTheGrpcOnlyMethods_withTheirProtoComments() throws IOException {
        JsonNode spec = Json.mapper().readTree(gw.send("GET", "/docs/specification.json", null, null, Map.of())
                .body());
        List<String> methods = new ArrayList<>();
        for (JsonNode service : spec.get("services")) {
            if (service.get("name").asText().equals("dcf.v1.Gateway")) {
                service.get("methods").forEach(method -> methods.add(method.get("name").asText()));
            }
        }
        assertThat(methods).contains("Invoke", "Invokes", "Logs", "UpdateModel");
        JsonNode docStrings = spec.get("docStrings"); // the proto comments, from the proto jar's descriptor set
        assertThat(docString(docStrings, "Invoke")).contains("Calls a function once.");
        assertThat(docString(docStrings, "Invokes")).contains("bidirectional stream");
        assertThat(docString(docStrings, "Logs")).contains("log lines");
    }

    @Test
    void realResponses_useTheDocumentsFieldNames() throws IOException {
        assertFieldsDescribed(gw.send("GET", "/system/info", null, null), "dcf.v1.InfoReply");
        assertFieldsDescribed(gw.send("GET", "/system/health", null, null, Map.of()), "dcf.v1.HealthReply");
        HttpResponse<byte[]> missing = gw.send("GET", "/system/functions/no-such-fn", null, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertFieldsDescribed(missing, "Error");
    }

    private static String docString(JsonNode docStrings, String method) {
        return docStrings.path("dcf.v1.Gateway/" + method).path("docString").asText();
    }

    private static void assertFieldsDescribed(HttpResponse<byte[]> response, String schemaName) throws IOException {
        JsonNode body = Json.mapper().readTree(response.body());
        Schema<?> schema = api.getComponents().getSchemas().get(schemaName);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertThat(names).as(schemaName + " in " + body).isNotEmpty();
        assertThat(schema.getProperties()).as(schemaName).containsKeys(names.toArray(String[]::new));
    }

    /** The paths of every gRPC method the gateway serves, from its gRPC services themselves. */
    private static Set<String> grpcMethodPaths() {
        Set<String> paths = new TreeSet<>();
        for (ServiceConfig config : gw.server().serviceConfigs()) {
            GrpcService grpc = config.service().as(GrpcService.class);
            if (grpc != null) {
                grpc.services().forEach(service -> service.getMethods().forEach(method ->
                        paths.add("/" + method.getMethodDescriptor().getFullMethodName())));
            }
        }
        return paths;
    }

    /** A route as an OpenAPI path: {@code :name} as {@code {name}}, a prefix as {@code /prefix/...}. */
    private static String openApiPath(Route route) {
        String pattern = route.patternString();
        if (route.pathType() == RoutePathType.PREFIX) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return prefix.equals("/function/") ? "/function/{name}/..." : prefix;
        }
        return List.of(pattern.split("/", -1)).stream()
                .map(part -> part.startsWith(":") ? "{" + part.substring(1) + "}" : part)
                .collect(Collectors.joining("/"));
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
