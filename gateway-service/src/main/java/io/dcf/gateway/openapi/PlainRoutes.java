package io.dcf.gateway.openapi;

import io.dcf.gateway.auth.MethodRule;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;

/**
 * The gateway's HTTP routes that no {@code google.api.http} rule describes, described once here:
 * raw invocation ({@code /function/<name>[/<path>]}, any body in, the handler's bytes out), the
 * Prometheus endpoint and this document itself.
 */
final class PlainRoutes {

    static final String TAG = "http";
    private static final String ANY = "*/*";

    private PlainRoutes() {
    }

    /**
     * Adds the plain routes to {@code paths}.
     *
     * @param metrics whether {@code GET /metrics} is served, and with which rule
     */
    static void add(Paths paths, MetricsRoute metrics) {
        PathItem invoke = new PathItem()
                .get(invoke("get", "Calls a function with a GET (no body); the query string reaches the handler"
                        + " as the header `x-dcf-query`.", false))
                .post(invoke("post", "Calls a function: the body reaches the handler unchanged (binary-safe) with its"
                        + " Content-Type; the handler's output comes back unchanged with the content type it set.",
                        true));
        paths.addPathItem("/function/{name}", invoke);
        PathItem invokePath = new PathItem()
                .get(invoke("get_path", "Like GET /function/{name}; the handler sees `/{path}` as the request's"
                        + " path (it may hold more segments).", false).addParametersItem(pathParameter()))
                .post(invoke("post_path", "Like POST /function/{name}; the handler sees `/{path}` as the request's"
                        + " path (it may hold more segments).", true).addParametersItem(pathParameter()));
        paths.addPathItem("/function/{name}/{path}", invokePath);
        if (metrics != MetricsRoute.NOT_SERVED) {
            paths.addPathItem("/metrics", new PathItem().get(metrics(metrics)));
        }
        paths.addPathItem("/openapi.json", new PathItem().get(openApi()));
    }

    private static Operation invoke(String id, String description, boolean body) {
        Operation operation = new Operation()
                .operationId("function_" + id)
                .summary(Operations.summary(description))
                .description(description + "\n\nRequest headers reach the handler as metadata; headers the handler"
                        + " sets come back. Errors are JSON `{code, message}` (404 unknown function, 413 body over"
                        + " the limit, 429 replica busy, 503 no ready replica, 504 past the function's timeout).")
                .addTagsItem(TAG)
                .addParametersItem(new Parameter().in("path").name("name").required(true)
                        .description("The function's name (a DNS-1123 label).").schema(new StringSchema()))
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse()
                        .description("The handler's output, unchanged.")
                        .content(new Content().addMediaType(ANY, new MediaType().schema(new BinarySchema())))));
        if (body) {
            operation.requestBody(new RequestBody().required(false).description("Any bytes, passed on unchanged.")
                    .content(new Content().addMediaType(ANY, new MediaType().schema(new BinarySchema()))));
        }
        ApiResponses responses = operation.getResponses();
        for (String[] status : List.of(new String[] {"413", "RESOURCE_EXHAUSTED: the body is over the function's limit."},
                new String[] {"429", "RESOURCE_EXHAUSTED: the replicas are at their concurrency limit."},
                new String[] {"503", "UNAVAILABLE: no replica is ready."},
                new String[] {"504", "DEADLINE_EXCEEDED: the call ran past the function's timeout."})) {
            responses.addApiResponse(status[0], Operations.error(status[1]));
        }
        return Operations.secure(operation, MethodRule.INVOKE, true);
    }

    private static Parameter pathParameter() {
        return new Parameter().in("path").name("path").required(true).schema(new StringSchema())
                .description("The rest of the path, passed to the handler.");
    }

    private static Operation metrics(MetricsRoute metrics) {
        Operation operation = new Operation()
                .operationId("metrics")
                .summary("Prometheus metrics of the gateway and its functions.")
                .description("The Prometheus text format: invocation counts and durations by function and code,"
                        + " replicas, cold starts, JVM and server meters (docs/metrics.md).")
                .addTagsItem(TAG)
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("The meters.")
                        .content(new Content().addMediaType("text/plain", new MediaType().schema(new StringSchema())))));
        return Operations.secure(operation, metrics == MetricsRoute.TOKEN ? MethodRule.MANAGE : MethodRule.OPEN, false);
    }

    private static Operation openApi() {
        Operation operation = new Operation()
                .operationId("openapi")
                .summary("This document.")
                .description("The OpenAPI 3 description of the gateway's HTTP routes, generated from the .proto files"
                        + " when the gateway starts. Swagger UI shows it at /swagger-ui/; Armeria's DocService shows"
                        + " the gRPC methods at /docs/.")
                .addTagsItem(TAG)
                .responses(new ApiResponses().addApiResponse("200", Operations.ok("The document.", new ObjectSchema())));
        return Operations.secure(operation, MethodRule.OPEN, false);
    }
}
