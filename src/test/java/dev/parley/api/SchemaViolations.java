package dev.parley.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Values that an OpenAPI schema calls invalid, derived from the schema alone: one past each
 * range, length and item count, a value outside an enum or a pattern, a wrong type, a missing
 * required field, an unknown field where none are allowed. A server that agrees with its
 * document refuses each of them.
 */
final class SchemaViolations {

    /** An invalid query or path value, and the rule of the schema it breaks. */
    record InvalidText(String value, String rule) {
    }

    /** A whole body that breaks one rule, and the body field the refusal must name. */
    record InvalidBody(JsonNode body, String field, String rule) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Tried in order as a value outside a pattern: the first the pattern refuses is used. */
    private static final List<String> OUTSIDE_PATTERN = List.of("fax", "x\u0000x");

    private final OpenAPI document;

    SchemaViolations(OpenAPI document) {
        this.document = document;
    }

    /** The schema itself, following a {@code $ref} to the components. */
    Schema<?> resolve(Schema<?> schema) {
        Schema<?> resolved = schema;
        while (resolved != null && resolved.get$ref() != null) {
            String ref = resolved.get$ref();
            resolved = document.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return resolved;
    }

    List<InvalidText> ofText(Schema<?> given) {
        Schema<?> schema = resolve(given);
        List<InvalidText> invalid = new ArrayList<>();
        String type = type(schema);
        if (type.equals("integer")) {
            invalid.add(new InvalidText("abc", "type integer"));
            if (schema.getMinimum() != null) {
                invalid.add(new InvalidText(schema.getMinimum().subtract(BigDecimal.ONE).toPlainString(), "minimum"));
            }
            if (schema.getMaximum() != null) {
                invalid.add(new InvalidText(schema.getMaximum().add(BigDecimal.ONE).toPlainString(), "maximum"));
            }
        } else if (type.equals("boolean")) {
            invalid.add(new InvalidText("maybe", "type boolean"));
        } else if (type.equals("string")) {
            stringRules(schema).forEach((value, rule) -> invalid.add(new InvalidText(value, rule)));
        }
        return invalid;
    }

    /** Bodies that each break one rule of the schema, made from a valid example. */
    List<InvalidBody> ofBody(Schema<?> schema, JsonNode example) {
        List<InvalidBody> invalid = new ArrayList<>();
        collectAt(resolve(schema), example, "", example, invalid);
        return invalid;
    }

    /** Adds the violations of the value at {@code path} (an object or an array) and of what it holds. */
    private void collectAt(Schema<?> schema, JsonNode value, String path, JsonNode body, List<InvalidBody> out) {
        String type = type(schema);
        if (type.equals("object") && value.isObject()) {
            Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
            if (Boolean.FALSE.equals(schema.getAdditionalProperties())) {
                out.add(new InvalidBody(replaced(body, path, object -> ((ObjectNode) object).put("unknownField", 1)),
                        join(path, "unknownField"), "additionalProperties false"));
            }
            if (schema.getRequired() != null) {
                for (String required : schema.getRequired()) {
                    out.add(new InvalidBody(replaced(body, path, object -> ((ObjectNode) object).remove(required)),
                            join(path, required), "required"));
                }
            }
            for (Map.Entry<String, Schema> property : properties.entrySet()) {
                String name = property.getKey();
                Schema<?> propertySchema = resolve(property.getValue());
                String propertyPath = join(path, name);
                for (Map.Entry<JsonNode, String> bad : invalidValues(propertySchema, value.get(name)).entrySet()) {
                    out.add(new InvalidBody(replaced(body, path, object -> ((ObjectNode) object).set(name, bad.getKey())),
                            propertyPath, bad.getValue()));
                }
                JsonNode given = value.get(name);
                if (given != null && !given.isNull()) {
                    collectAt(propertySchema, given, propertyPath, body, out);
                }
            }
        } else if (type.equals("array") && value.isArray() && !value.isEmpty() && schema.getItems() != null) {
            Schema<?> items = resolve(schema.getItems());
            String itemPath = path + "[0]";
            for (Map.Entry<JsonNode, String> bad : invalidValues(items, value.get(0)).entrySet()) {
                out.add(new InvalidBody(replaced(body, path, array -> ((ArrayNode) array).set(0, bad.getKey())),
                        itemPath, "items: " + bad.getValue()));
            }
            collectAt(items, value.get(0), itemPath, body, out);
        }
    }

    /** Values that break the schema of one field, each with the rule it breaks. */
    private Map<JsonNode, String> invalidValues(Schema<?> schema, JsonNode example) {
        Map<JsonNode, String> invalid = new LinkedHashMap<>();
        String type = type(schema);
        if (!Boolean.TRUE.equals(schema.getNullable())) {
            invalid.put(NODES.nullNode(), "not nullable");
        }
        switch (type) {
            case "string" -> {
                invalid.put(NODES.numberNode(42), "type string");
                stringRules(schema).forEach((value, rule) -> invalid.put(NODES.textNode(value), rule));
            }
            case "integer" -> {
                invalid.put(NODES.textNode("1"), "type integer");
                invalid.put(NODES.numberNode(1.5), "type integer");
                if (schema.getMinimum() != null) {
                    invalid.put(NODES.numberNode(schema.getMinimum().subtract(BigDecimal.ONE)), "minimum");
                }
                if (schema.getMaximum() != null) {
                    invalid.put(NODES.numberNode(schema.getMaximum().add(BigDecimal.ONE)), "maximum");
                }
            }
            case "number" -> invalid.put(NODES.textNode("x"), "type number");
            case "boolean" -> invalid.put(NODES.textNode("yes"), "type boolean");
            case "array" -> {
                invalid.put(NODES.textNode("x"), "type array");
                if (schema.getMaxItems() != null && example != null && example.isArray() && !example.isEmpty()) {
                    ArrayNode tooMany = NODES.arrayNode();
                    for (int i = 0; i <= schema.getMaxItems(); i++) {
                        tooMany.add(example.get(0).deepCopy());
                    }
                    invalid.put(tooMany, "maxItems");
                }
            }
            case "object" -> invalid.put(NODES.textNode("x"), "type object");
            default -> {
            }
        }
        return invalid;
    }

    private static Map<String, String> stringRules(Schema<?> schema) {
        Map<String, String> invalid = new LinkedHashMap<>();
        if (schema.getEnum() != null) {
            invalid.put("no_such_value", "enum");
        }
        if ("uuid".equals(schema.getFormat())) {
            invalid.put("not-a-uuid", "format uuid");
        }
        if (schema.getMinLength() != null && schema.getMinLength() > 0) {
            invalid.put("x".repeat(schema.getMinLength() - 1), "minLength");
        }
        if (schema.getMaxLength() != null) {
            invalid.put("x".repeat(schema.getMaxLength() + 1), "maxLength");
        }
        if (schema.getPattern() != null) {
            Pattern pattern = Pattern.compile(schema.getPattern());
            OUTSIDE_PATTERN.stream().filter(value -> !pattern.matcher(value).find()).findFirst()
                    .ifPresent(value -> invalid.put(value, "pattern"));
        }
        return invalid;
    }

    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        return schema.getProperties() != null ? "object" : "";
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A copy of the body in which the node at {@code path} (an object or array) is changed. */
    private static JsonNode replaced(JsonNode body, String path, Consumer<JsonNode> change) {
        JsonNode copy = body.deepCopy();
        change.accept(path.isEmpty() ? copy : copy.at(pointer(path)));
        return copy;
    }

    /** {@code basedOn[0].title} as a JSON pointer, {@code /basedOn/0/title}. */
    private static String pointer(String path) {
        return "/" + path.replace("[", ".").replace("]", "").replace(".", "/");
    }
}
