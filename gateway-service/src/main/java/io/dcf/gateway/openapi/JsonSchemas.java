package io.dcf.gateway.openapi;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * JSON Schemas of protobuf messages as the gateway's REST routes read and write them: the proto3 JSON
 * mapping (lowerCamelCase names, 64-bit integers as strings, enums by name, bytes as base64,
 * Timestamp and Duration as strings, maps as objects). Each message becomes one component schema,
 * named by its full name, that fields refer to.
 */
final class JsonSchemas {

    static final String REF_PREFIX = "#/components/schemas/";
    private static final Set<String> WRAPPERS = Set.of("DoubleValue", "FloatValue", "Int64Value", "UInt64Value",
            "Int32Value", "UInt32Value", "BoolValue", "StringValue", "BytesValue");

    private final ProtoComments comments;
    private final Map<String, Schema> components = new TreeMap<>();

    JsonSchemas(ProtoComments comments) {
        this.comments = comments;
    }

    /** Every component schema made so far, by name. */
    Map<String, Schema> components() {
        return components;
    }

    /** A reference to {@code message}'s schema (a well-known type inline), making it on first use. */
    Schema<?> of(Descriptor message) {
        Schema<?> known = wellKnown(message);
        if (known != null) {
            return known;
        }
        String name = message.getFullName();
        if (!components.containsKey(name)) {
            components.put(name, new ObjectSchema()); // placeholder first: messages may refer to themselves
            components.put(name, objectOf(message, Set.of()));
        }
        return new Schema<>().$ref(REF_PREFIX + name);
    }

    /** {@code message}'s own object schema without the fields named in {@code leftOut} (those bound to the path). */
    ObjectSchema objectOf(Descriptor message, Set<String> leftOut) {
        ObjectSchema schema = new ObjectSchema();
        schema.setDescription(blankToNull(comments.of(message)));
        Map<String, Schema> properties = new LinkedHashMap<>();
        for (FieldDescriptor field : message.getFields()) {
            if (!leftOut.contains(field.getName())) {
                properties.put(field.getJsonName(), fieldSchema(field));
            }
        }
        schema.setProperties(properties);
        for (OneofDescriptor oneof : message.getRealOneofs()) {
            List<String> members = oneof.getFields().stream().map(FieldDescriptor::getJsonName).toList();
            schema.addExtension("x-oneof-" + oneof.getName(), members);
        }
        return schema;
    }

    /** A field's schema with its comment; a field in a oneof says which others exclude it. */
    Schema<?> fieldSchema(FieldDescriptor field) {
        Schema<?> schema;
        if (field.isMapField()) {
            FieldDescriptor value = field.getMessageType().findFieldByName("value");
            schema = new MapSchema().additionalProperties(valueSchema(value));
        } else if (field.isRepeated()) {
            schema = new ArraySchema().items(valueSchema(field));
        } else {
            schema = valueSchema(field);
        }
        String description = comments.of(field);
        OneofDescriptor oneof = field.getRealContainingOneof();
        if (oneof != null) {
            description = (description + " Part of oneof `" + oneof.getName() + "`: set at most one of "
                    + String.join(", ", oneof.getFields().stream().map(f -> "`" + f.getJsonName() + "`").toList())
                    + ".").strip();
        }
        if (description.isBlank()) {
            return schema;
        }
        if (schema.get$ref() != null) { // a $ref's siblings are ignored in OpenAPI 3.0: wrap it to keep the text
            return new ComposedSchema().allOf(List.of(schema)).description(description);
        }
        return schema.description(schema.getDescription() == null ? description
                                  : description + " " + schema.getDescription()); // a well-known type's form
    }

    /** The schema of one value of {@code field} (an element, for repeated fields). */
    Schema<?> valueSchema(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case INT -> new IntegerSchema().format(unsigned(field) ? "int64" : "int32");
            case LONG -> new StringSchema().format(unsigned(field) ? "uint64" : "int64")
                    .pattern("^-?[0-9]+$").example("0");
            case FLOAT -> new NumberSchema().format("float");
            case DOUBLE -> new NumberSchema().format("double");
            case BOOLEAN -> new BooleanSchema();
            case STRING -> new StringSchema();
            case BYTE_STRING -> new StringSchema().format("byte");
            case ENUM -> enumSchema(field.getEnumType());
            case MESSAGE -> of(field.getMessageType());
        };
    }

    private static boolean unsigned(FieldDescriptor field) {
        return switch (field.getType()) {
            case UINT32, FIXED32, UINT64, FIXED64 -> true;
            default -> false;
        };
    }

    private Schema<?> enumSchema(EnumDescriptor type) {
        StringSchema schema = new StringSchema();
        type.getValues().stream().map(EnumValueDescriptor::getName).forEach(schema::addEnumItem);
        return schema;
    }

    /** The proto3 JSON form of google.protobuf's well-known types; null for any other message. */
    private Schema<?> wellKnown(Descriptor message) {
        if (!message.getFile().getPackage().equals("google.protobuf")) {
            return null;
        }
        String name = message.getName();
        if (WRAPPERS.contains(name)) {
            return valueSchema(message.findFieldByName("value")).nullable(true);
        }
        return switch (name) {
            case "Timestamp" -> new StringSchema().format("date-time").example("2026-01-31T12:00:00Z");
            case "Duration" -> new StringSchema().pattern("^-?[0-9]+(\\.[0-9]{1,9})?s$").example("30s")
                    .description("A duration in seconds with up to nine decimals and the suffix s: \"30s\", \"0.5s\".");
            case "FieldMask" -> new StringSchema().description("Field paths in lowerCamelCase, comma-separated.");
            case "Empty" -> new ObjectSchema();
            case "Struct" -> new ObjectSchema().additionalProperties(true);
            case "ListValue" -> new ArraySchema().items(new Schema<>());
            case "Value" -> new Schema<>();
            case "Any" -> new ObjectSchema().addProperty("@type", new StringSchema()).additionalProperties(true);
            default -> null;
        };
    }

    private static String blankToNull(String text) {
        return text.isBlank() ? null : text;
    }
}
