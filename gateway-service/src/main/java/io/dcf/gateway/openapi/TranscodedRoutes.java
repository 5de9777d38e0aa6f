package io.dcf.gateway.openapi;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import io.dcf.gateway.auth.MethodRule;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST routes of gRPC methods, as the gateway's HTTP/JSON transcoding serves them from each method's
 * {@code google.api.http} rule (and its additional bindings): variables of the path template are path
 * parameters, the body is the whole request ({@code body: "*"}) or one field, and the request's other
 * fields are query parameters (by their JSON names).
 */
final class TranscodedRoutes {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}=]+)(=[^}]*)?}");
    private static final int MAX_QUERY_DEPTH = 3;

    private final JsonSchemas schemas;
    private final ProtoComments comments;

    TranscodedRoutes(JsonSchemas schemas, ProtoComments comments) {
        this.schemas = schemas;
        this.comments = comments;
    }

    /** The method's http rules, the main one first; none when it has no {@code google.api.http} option. */
    static List<HttpRule> rulesOf(MethodDescriptor method) {
        MethodOptions options = method.getOptions();
        if (!options.hasExtension(AnnotationsProto.http)) {
            // the option arrived as an unknown field (its extension was not registered): read it again
            ExtensionRegistry registry = ExtensionRegistry.newInstance();
            registry.add(AnnotationsProto.http);
            try {
                options = MethodOptions.parseFrom(options.toByteString(), registry);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("options of " + method.getFullName() + ": " + e.getMessage(), e);
            }
            if (!options.hasExtension(AnnotationsProto.http)) {
                return List.of();
            }
        }
        HttpRule main = options.getExtension(AnnotationsProto.http);
        List<HttpRule> rules = new ArrayList<>(List.of(main));
        rules.addAll(main.getAdditionalBindingsList());
        return rules;
    }

    /** Adds {@code method}'s operations to {@code paths}; returns how many it added. */
    int add(MethodDescriptor method, Paths paths) {
        List<HttpRule> rules = rulesOf(method);
        for (int i = 0; i < rules.size(); i++) {
            HttpRule rule = rules.get(i);
            String template = template(rule);
            String path = VARIABLE.matcher(template).replaceAll("{$1}");
            Operation operation = operation(method, rule, pathFields(template));
            operation.setOperationId(method.getFullName() + (i == 0 ? "" : "_" + i));
            PathItem item = paths.computeIfAbsent(path, p -> new PathItem());
            item.operation(PathItem.HttpMethod.valueOf(verb(rule, method)), operation);
        }
        return rules.size();
    }

    private Operation operation(MethodDescriptor method, HttpRule rule, Set<String> pathFields) {
        String text = comments.of(method);
        Descriptor input = method.getInputType();
        Operation operation = new Operation()
                .summary(text.isBlank() ? method.getName() : Operations.summary(text))
                .description(text.isBlank() ? null : text + "\n\ngRPC: `" + method.getFullName() + "`.")
                .addTagsItem(method.getService().getFullName())
                .responses(new ApiResponses().addApiResponse("200", Operations.ok(
                        "The " + method.getOutputType().getName() + ".", responseSchema(method, rule))));
        for (String field : pathFields) {
            operation.addParametersItem(new Parameter().in("path").name(field).required(true)
                    .description(blankToNull(comments.of(field(input, field))))
                    .schema(schemas.valueSchema(field(input, field))));
        }
        Set<String> leftOut = new LinkedHashSet<>(pathFields);
        if (rule.getBody().equals("*")) {
            Schema<?> body = pathFields.isEmpty() ? schemas.of(input) : schemas.objectOf(input, pathFields);
            operation.requestBody(new RequestBody().required(true).content(Operations.json(body))
                    .description("The " + input.getName() + " as JSON"
                            + (pathFields.isEmpty() ? "." : ", without the fields of the path.")));
        } else {
            if (!rule.getBody().isEmpty()) {
                FieldDescriptor bodyField = field(input, rule.getBody());
                operation.requestBody(new RequestBody().required(true)
                        .content(Operations.json(schemas.fieldSchema(bodyField))));
                leftOut.add(rule.getBody());
            }
            queryParameters(operation, input, "", "", leftOut, 0);
        }
        return Operations.secure(operation, MethodRule.of(method.getService().getFullName(), method.getName()),
                pathFields.contains("name"));
    }

    /** Every scalar, enum or repeated scalar of {@code message} not otherwise bound, as {@code a.b} names. */
    private void queryParameters(Operation operation, Descriptor message, String protoPrefix, String jsonPrefix,
                                 Set<String> leftOut, int depth) {
        for (FieldDescriptor field : message.getFields()) {
            String protoPath = protoPrefix + field.getName();
            if (leftOut.contains(protoPath) || field.isMapField()) {
                continue;
            }
            String name = jsonPrefix + field.getJsonName();
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !isValueMessage(field)) {
                if (!field.isRepeated() && depth < MAX_QUERY_DEPTH) {
                    queryParameters(operation, field.getMessageType(), protoPath + ".", name + ".", leftOut,
                            depth + 1);
                }
                continue;
            }
            operation.addParametersItem(new Parameter().in("query").name(name)
                    .description(blankToNull(comments.of(field))).schema(schemas.fieldSchema(field)));
        }
    }

    /** Well-known types that travel as one JSON value (Timestamp, Duration, FieldMask, wrappers): a query value too. */
    private static boolean isValueMessage(FieldDescriptor field) {
        Descriptor type = field.getMessageType();
        String name = type.getName();
        return type.getFile().getPackage().equals("google.protobuf")
                && (Set.of("Timestamp", "Duration", "FieldMask").contains(name)
                    || (name.endsWith("Value") && !name.equals("Value") && !name.equals("ListValue")));
    }

    private Schema<?> responseSchema(MethodDescriptor method, HttpRule rule) {
        return rule.getResponseBody().isEmpty() ? schemas.of(method.getOutputType())
               : schemas.fieldSchema(field(method.getOutputType(), rule.getResponseBody()));
    }

    private static Set<String> pathFields(String template) {
        Set<String> fields = new LinkedHashSet<>();
        Matcher matcher = VARIABLE.matcher(template);
        while (matcher.find()) {
            fields.add(matcher.group(1));
        }
        return fields;
    }

    /** The field a (possibly dotted) path names in {@code message}. */
    private static FieldDescriptor field(Descriptor message, String path) {
        Descriptor type = message;
        FieldDescriptor field = null;
        for (String part : path.split("\\.")) {
            field = type == null ? null : type.findFieldByName(part);
            if (field == null) {
                throw new IllegalStateException("http rule of " + message.getFullName() + ": no field '" + path + "'");
            }
            type = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
        }
        return field;
    }

    private static String template(HttpRule rule) {
        return switch (rule.getPatternCase()) {
            case GET -> rule.getGet();
            case PUT -> rule.getPut();
            case POST -> rule.getPost();
            case DELETE -> rule.getDelete();
            case PATCH -> rule.getPatch();
            case CUSTOM -> rule.getCustom().getPath();
            case PATTERN_NOT_SET -> throw new IllegalStateException("an http rule without a path: " + rule);
        };
    }

    private static String verb(HttpRule rule, MethodDescriptor method) {
        String verb = rule.getPatternCase() == HttpRule.PatternCase.CUSTOM ? rule.getCustom().getKind()
                      : rule.getPatternCase().name();
        try {
            return PathItem.HttpMethod.valueOf(verb.toUpperCase(java.util.Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("http rule of " + method.getFullName() + ": verb " + verb
                    + " cannot be described in OpenAPI", e);
        }
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text;
    }
}
