package dev.parley.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The knowledge an answer used ({@code basedOn}): a JSON array of objects, kept as compact JSON
 * text so that keys we do not know come back exactly as given.
 */
public final class Citations {

    public static final Citations NONE = new Citations("[]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Boolean> RECOGNISED_TEXT_KEYS = Map.of(
            "sourceId", true, "sourceType", true, "title", true, "url", true, "snippet", true);

    private final String json;

    private Citations(String json) {
        this.json = json;
    }

    /** Validates a {@code basedOn} array sent by a client. */
    public static Citations of(String field, JsonNode array) {
        if (array == null || array.isNull()) {
            return NONE;
        }
        if (!array.isArray()) {
            throw new InvalidField(field, "must be an array of objects");
        }
        if (array.size() > Limits.MAX_BASED_ON) {
            throw new InvalidField(field, "must have at most " + Limits.MAX_BASED_ON + " entries, got " + array.size());
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            String where = field + "[" + i + "]";
            if (!entry.isObject()) {
                throw new InvalidField(where, "must be an object");
            }
            for (String key : RECOGNISED_TEXT_KEYS.keySet()) {
                JsonNode value = entry.get(key);
                if (value != null && !value.isNull() && !value.isTextual()) {
                    throw new InvalidField(where + "." + key, "must be a string or null");
                }
            }
            JsonNode score = entry.get("score");
            if (score != null && !score.isNull() && !score.isNumber()) {
                throw new InvalidField(where + ".score", "must be a number or null");
            }
        }
        return array.isEmpty() ? NONE : new Citations(array.toString());
    }

    /** Citations read back from the store, which only ever holds validated ones. */
    public static Citations stored(String json) {
        return "[]".equals(json) ? NONE : new Citations(json);
    }

    public String json() {
        return json;
    }

    public boolean isEmpty() {
        return this == NONE || "[]".equals(json);
    }

    /** The distinct {@code sourceId}s cited, in order of first citation. */
    public List<String> sourceIds() {
        if (isEmpty()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode entry : tree()) {
            JsonNode id = entry.get("sourceId");
            if (id != null && id.isTextual() && !id.asText().isEmpty()) {
                ids.add(id.asText());
            }
        }
        return List.copyOf(new ArrayList<>(ids));
    }

    public JsonNode tree() {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored basedOn is not JSON", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Citations that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }

    /**
     * These citations with their free texts ({@code title}, {@code snippet}) passed through
     * {@code rewrite}; every other key, and the order of keys, as they were.
     */
    public Citations withTexts(java.util.function.UnaryOperator<String> rewrite) {
        if (isEmpty()) {
            return this;
        }
        JsonNode entries = tree();
        boolean changed = false;
        for (JsonNode entry : entries) {
            for (String key : List.of("title", "snippet")) {
                JsonNode value = entry.get(key);
                if (value != null && value.isTextual()) {
                    String rewritten = rewrite.apply(value.textValue());
                    if (!rewritten.equals(value.textValue())) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) entry).put(key, rewritten);
                        changed = true;
                    }
                }
            }
        }
        return changed ? new Citations(entries.toString()) : this;
    }
}
