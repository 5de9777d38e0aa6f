package io.dcf.gateway.backend.kubernetes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks JSON against an API server's OpenAPI (v2) definitions, as its decoder and schema
 * see a request: every field must be one the version knows, of the right JSON type, and
 * required fields must be there. The definitions are a subset of Kubernetes v1.20.2's
 * swagger.json (src/test/resources/kubernetes), the oldest version the gateway supports.
 */
final class OpenApiSchema {

    private final JsonObject definitions;

    private OpenApiSchema(JsonObject definitions) {
        this.definitions = definitions;
    }

    static OpenApiSchema kubernetes1_20() {
        String resource = "/kubernetes/openapi-v1.20.2-subset.json";
        try (InputStream in = OpenApiSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test class path");
            }
            JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return new OpenApiSchema(root.getAsJsonObject("definitions"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems of {@code json} as {@code definition} (io.k8s.api.apps.v1.Deployment...); empty when none. */
    List<String> problems(String json, String definition) {
        List<String> problems = new ArrayList<>();
        check(JsonParser.parseString(json), ref(definition), definition, problems);
        return problems;
    }

    private JsonObject ref(String definition) {
        JsonObject schema = definitions.getAsJsonObject(definition);
        if (schema == null) {
            throw new IllegalArgumentException("no definition " + definition);
        }
        return schema;
    }

    private void check(JsonElement value, JsonObject schema, String path, List<String> problems) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").getAsString();
            check(value, ref(ref.substring(ref.lastIndexOf('/') + 1)), path, problems);
            return;
        }
        String type = schema.has("type") ? schema.get("type").getAsString() : "";
        String format = schema.has("format") ? schema.get("format").getAsString() : "";
        switch (type) {
            case "object" -> checkObject(value, schema, path, problems);
            case "array" -> {
                if (!value.isJsonArray()) {
                    problems.add(path + ": expected an array, got " + value);
                    return;
                }
                for (int i = 0; i < value.getAsJsonArray().size(); i++) {
                    check(value.getAsJsonArray().get(i), schema.getAsJsonObject("items"), path + "[" + i + "]",
                            problems);
                }
            }
            case "string" -> {
                boolean intOrString = format.equals("int-or-string") && value.isJsonPrimitive()
                        && value.getAsJsonPrimitive().isNumber();
                if (!intOrString && !(value.isJsonPrimitive() && value.getAsJsonPrimitive().isString())) {
                    problems.add(path + ": expected a string, got " + value);
                }
            }
            case "integer" -> {
                if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
                        && value.getAsBigDecimal().stripTrailingZeros().scale() <= 0)) {
                    problems.add(path + ": expected an integer, got " + value);
                }
            }
            case "number" -> {
                if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber())) {
                    problems.add(path + ": expected a number, got " + value);
                }
            }
            case "boolean" -> {
                if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean())) {
                    problems.add(path + ": expected a boolean, got " + value);
                }
            }
            default -> { } // untyped (RawExtension and the like): anything goes
        }
    }

    private void checkObject(JsonElement value, JsonObject schema, String path, List<String> problems) {
        if (!value.isJsonObject()) {
            problems.add(path + ": expected an object, got " + value);
            return;
        }
        JsonObject object = value.getAsJsonObject();
        if (schema.has("properties")) {
            JsonObject properties = schema.getAsJsonObject("properties");
            for (Map.Entry<String, JsonElement> field : object.entrySet()) {
                if (!properties.has(field.getKey())) {
                    problems.add(path + "." + field.getKey() + ": unknown field");
                } else {
                    check(field.getValue(), properties.getAsJsonObject(field.getKey()), path + "." + field.getKey(),
                            problems);
                }
            }
        } else if (schema.has("additionalProperties")) {
            for (Map.Entry<String, JsonElement> field : object.entrySet()) {
                check(field.getValue(), schema.getAsJsonObject("additionalProperties"),
                        path + "[" + field.getKey() + "]", problems);
            }
        }
        if (schema.has("required")) {
            for (JsonElement required : schema.getAsJsonArray("required")) {
                if (!object.has(required.getAsString())) {
                    problems.add(path + "." + required.getAsString() + ": required");
                }
            }
        }
    }
}
