package io.dcf.gateway.openapi;

import io.dcf.gateway.auth.MethodRule;
import io.grpc.Status;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.List;

/**
 * What every operation of the document shares: the bearer-token scheme and who needs it (the gateway's
 * {@link MethodRule}), and the JSON error body {@code {"code","message"}} every HTTP error carries.
 */
final class Operations {

    static final String BEARER = "bearer";
    static final String ERROR = "Error";
    static final String JSON = "application/json";

    private Operations() {
    }

    /** The shared components: the error body, the error responses and the bearer scheme. */
    static Components components() {
        StringSchema code = new StringSchema();
        Arrays.stream(Status.Code.values()).map(Status.Code::name).forEach(code::addEnumItem);
        ObjectSchema error = new ObjectSchema();
        error.description("Every HTTP error: the gRPC code's name and a message for people (never a stack trace).")
             .addProperty("code", code.description("The gRPC status code's name, for example NOT_FOUND."))
             .addProperty("message", new StringSchema().description("What went wrong, naming the object at fault."))
             .required(List.of("code", "message"));
        return new Components()
                .addSchemas(ERROR, error)
                .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("The gateway's token ($DCF_HOME/token, or dcf.gateway.auth.token): "
                                + "`Authorization: Bearer <token>`. See docs/api.md, Authentication."));
    }

    /** The document-wide default: secure by default, the token everywhere an operation does not say otherwise. */
    static List<SecurityRequirement> needsToken() {
        return List.of(new SecurityRequirement().addList(BEARER));
    }

    /** Sets {@code operation}'s security as {@code rule} has it, and the errors it can answer. */
    static Operation secure(Operation operation, MethodRule rule, boolean namesFunction) {
        ApiResponses responses = operation.getResponses();
        switch (rule) {
            case OPEN -> operation.setSecurity(List.of()); // no token: an empty list overrides the default
            case INVOKE -> {
                // a function with auth: token wants it, others do not: an empty requirement makes it optional
                operation.setSecurity(List.of(new SecurityRequirement(), new SecurityRequirement().addList(BEARER)));
                responses.addApiResponse("401", error("UNAUTHENTICATED: the function says `auth: token` and the"
                        + " request has no or another token."));
            }
            case MANAGE -> {
                operation.setSecurity(needsToken());
                responses.addApiResponse("401", error("UNAUTHENTICATED: no token, or another one."));
            }
        }
        responses.addApiResponse("400", error("INVALID_ARGUMENT: a bad name, field or body."));
        responses.addApiResponse("403", error("PERMISSION_DENIED: a host name the gateway does not answer to,"
                + " or a cross-origin write."));
        if (namesFunction) {
            responses.addApiResponse("404", error("NOT_FOUND: no function of that name."));
        }
        responses.addApiResponse("default", error("Any other error, its HTTP status from the gRPC code"
                + " (docs/api.md, Errors)."));
        return operation;
    }

    /** A JSON success response of {@code schema}. */
    static ApiResponse ok(String description, Schema<?> schema) {
        return new ApiResponse().description(description).content(json(schema));
    }

    static Content json(Schema<?> schema) {
        return new Content().addMediaType(JSON, new MediaType().schema(schema));
    }

    static ApiResponse error(String description) {
        return new ApiResponse().description(description)
                .content(json(new Schema<>().$ref(JsonSchemas.REF_PREFIX + ERROR)));
    }

    /** The first sentence of {@code text}: an operation's summary. */
    static String summary(String text) {
        int end = text.indexOf(". ");
        String first = end < 0 ? text : text.substring(0, end + 1);
        int paragraph = first.indexOf("\n\n");
        return (paragraph < 0 ? first : first.substring(0, paragraph)).strip();
    }
}
