package io.dcf.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.dcf.proto.compat.DcfGatewayProto;
import io.dcf.proto.v1.GatewayGrpc;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    private static final ServiceDescriptor GATEWAY =
            ((ProtoServiceDescriptorSupplier) GatewayGrpc.getServiceDescriptor().getSchemaDescriptor())
                    .getServiceDescriptor();

    private static OpenAPI parsed(MetricsRoute metrics) {
        byte[] json = OpenApiDocument.json(OpenApiDocument.of(List.of(GATEWAY), "1.2.3", metrics));
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(new String(json, StandardCharsets.UTF_8),
                null, null);
        assertThat(result.getMessages()).as("swagger-parser's errors and warnings").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.");
        return result.getOpenAPI();
    }

    @Test
    void document_validatesAndHasEveryHttpRuleOfTheGatewayService() {
        OpenAPI api = parsed(MetricsRoute.OPEN);
        List<String> expected = new ArrayList<>();
        for (MethodDescriptor method : GATEWAY.getMethods()) {
            for (HttpRule rule : TranscodedRoutes.rulesOf(method)) {
                String verb = rule.getPatternCase().name();
                String path = switch (rule.getPatternCase()) {
                    case GET -> rule.getGet();
                    case PUT -> rule.getPut();
                    case POST -> rule.getPost();
                    case DELETE -> rule.getDelete();
                    case PATCH -> rule.getPatch();
                    default -> rule.getCustom().getPath();
                };
                expected.add(verb + " " + path);
            }
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(10)
                .contains("GET /system/functions", "POST /system/functions/{name}/scale", "GET /system/health");
        assertThat(operations(api)).containsAll(expected)
                .contains("GET /function/{name}", "POST /function/{name}", "POST /function/{name}/{path}",
                        "GET /metrics", "GET /openapi.json");
        assertThat(operations(api)).hasSize(expected.size() + 6);
    }

    @Test
    void metricsOff_leavesTheRouteOut() {
        assertThat(parsed(MetricsRoute.NOT_SERVED).getPaths()).doesNotContainKey("/metrics");
        assertThat(parsed(MetricsRoute.TOKEN).getPaths().get("/metrics").getGet().getSecurity())
                .singleElement().satisfies(req -> assertThat(req).containsOnlyKeys(Operations.BEARER));
    }

    @Test
    void descriptions_comeFromTheProtoComments() {
        OpenAPI api = parsed(MetricsRoute.OPEN);
        Operation deploy = api.getPaths().get("/system/functions").getPost();
        assertThat(deploy.getSummary()).isEqualTo("Deploys a new function.");
        assertThat(deploy.getDescription()).contains("ALREADY_EXISTS when the name is taken", "dcf.v1.Gateway.Deploy");
        Schema<?> status = schema(api, "dcf.v1.FunctionStatus");
        assertThat(status.getDescription()).isEqualTo("A function's settings and observed state.");
        assertThat(property(status, "readyReplicas").getDescription())
                .isEqualTo("The number of replicas ready to serve.");
        assertThat(api.getTags()).anySatisfy(tag -> assertThat(tag.getDescription())
                .isEqualTo("Invokes and manages functions."));
    }

    @Test
    void schemas_followTheProto3JsonMapping() {
        OpenAPI api = parsed(MetricsRoute.OPEN);
        Schema<?> status = schema(api, "dcf.v1.FunctionStatus");
        assertThat(property(status, "generation").getType()).isEqualTo("string"); // int64
        assertThat(property(status, "generation").getFormat()).isEqualTo("int64");
        assertThat(property(status, "invocationCount").getFormat()).isEqualTo("uint64");
        assertThat(property(status, "readyReplicas").getType()).isEqualTo("integer");
        assertThat(property(status, "created").getFormat()).isEqualTo("date-time"); // Timestamp
        assertThat(property(status, "created").getDescription()).isEqualTo("When the function was first deployed.");
        assertThat(property(status, "spec").getAllOf()).singleElement() // a message: its $ref, with the field's text
                .satisfies(spec -> assertThat(spec.get$ref()).isEqualTo("#/components/schemas/dcf.v1.FunctionSpec"));
        assertThat(property(status, "spec").getDescription()).isEqualTo("The function's settings as deployed.");
        assertThat(property(status, "replicaStatuses").getType()).isEqualTo("array");
        Schema<?> spec = schema(api, "dcf.v1.FunctionSpec");
        assertThat(property(spec, "maxBodyBytes").getType()).isEqualTo("string");
        assertThat(property(spec, "environment").getAdditionalProperties())
                .isInstanceOfSatisfying(Schema.class, value -> assertThat(value.getType()).isEqualTo("string"));
        assertThat(property(spec, "timeout").getPattern()).endsWith("s$"); // Duration
        assertThat(property(spec, "timeout").getDescription()).startsWith("The longest one call may run")
                .contains("\"30s\"");
        Schema<?> artifact = schema(api, "dcf.v1.Artifact");
        assertThat(property(artifact, "sourceZip").getFormat()).isEqualTo("byte");
        assertThat(property(artifact, "jar").getDescription()).contains("oneof `source`", "`localPath`");
        assertThat(artifact.getExtensions()).containsEntry("x-oneof-source", List.of("sourceZip", "jar", "localPath"));
    }

    @Test
    void parameters_andBodies_followTheHttpRules() {
        OpenAPI api = parsed(MetricsRoute.OPEN);
        Operation scale = api.getPaths().get("/system/functions/{name}/scale").getPost();
        assertThat(scale.getParameters()).singleElement().satisfies(p -> {
            assertThat(p.getIn()).isEqualTo("path");
            assertThat(p.getName()).isEqualTo("name");
            assertThat(p.getRequired()).isTrue();
        });
        Schema<?> body = scale.getRequestBody().getContent().get("application/json").getSchema();
        assertThat(body.getProperties()).containsOnlyKeys("replicas"); // name travels in the path
        Operation deploy = api.getPaths().get("/system/functions").getPost();
        assertThat(deploy.getRequestBody().getContent().get("application/json").getSchema().get$ref())
                .isEqualTo("#/components/schemas/dcf.v1.DeployRequest");
        assertThat(api.getPaths().get("/system/functions").getGet().getParameters()).isNullOrEmpty();
    }

    @Test
    void security_isTheGatewaysMethodRule() {
        OpenAPI api = parsed(MetricsRoute.OPEN);
        assertThat(api.getSecurity()).singleElement().satisfies(req -> assertThat(req).containsOnlyKeys("bearer"));
        assertThat(api.getComponents().getSecuritySchemes().get("bearer").getScheme()).isEqualTo("bearer");
        assertThat(api.getPaths().get("/system/health").getGet().getSecurity()).isEmpty();
        assertThat(api.getPaths().get("/openapi.json").getGet().getSecurity()).isEmpty();
        assertThat(api.getPaths().get("/metrics").getGet().getSecurity()).isEmpty();
        Operation list = api.getPaths().get("/system/functions").getGet();
        assertThat(list.getSecurity()).singleElement().satisfies(req -> assertThat(req).containsOnlyKeys("bearer"));
        assertThat(list.getResponses()).containsKeys("200", "401", "403", "default");
        assertThat(api.getPaths().get("/function/{name}").getPost().getSecurity())
                .anySatisfy(req -> assertThat(req).isEmpty())
                .anySatisfy(req -> assertThat(req).containsOnlyKeys("bearer"));
    }

    @Test
    void errors_areTheJsonBodyEveryHttpErrorCarries() {
        OpenAPI api = parsed(MetricsRoute.OPEN);
        Schema<?> error = schema(api, "Error");
        assertThat(error.getRequired()).containsExactly("code", "message");
        assertThat(new ArrayList<Object>(property(error, "code").getEnum())).contains("NOT_FOUND", "UNAUTHENTICATED");
        assertThat(api.getPaths().get("/system/functions/{name}").getDelete().getResponses().get("404")
                .getContent().get("application/json").getSchema().get$ref()).isEqualTo("#/components/schemas/Error");
    }

    @Test
    void compatServices_haveNoHttpRules_andAddNothing() {
        ServiceDescriptor compat = DcfGatewayProto.getDescriptor().getServices().get(0);
        OpenAPI api = OpenApiDocument.of(List.of(compat), "1", MetricsRoute.NOT_SERVED);
        assertThat(api.getPaths()).containsOnlyKeys("/function/{name}", "/function/{name}/{path}", "/openapi.json");
    }

    static List<String> operations(OpenAPI api) {
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            path.getValue().readOperationsMap().keySet().forEach(verb -> operations.add(verb + " " + path.getKey()));
        }
        return new ArrayList<>(new TreeSet<>(operations));
    }

    private static Schema<?> schema(OpenAPI api, String name) {
        Schema<?> schema = api.getComponents().getSchemas().get(name);
        assertThat(schema).as(name).isNotNull();
        return schema;
    }

    private static Schema<?> property(Schema<?> schema, String name) {
        Schema<?> property = (Schema<?>) schema.getProperties().get(name);
        assertThat(property).as(name).isNotNull();
        return property;
    }
}
