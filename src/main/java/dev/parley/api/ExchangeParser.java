package dev.parley.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.history.Citations;
import dev.parley.history.Exchange;
import dev.parley.history.InvalidField;
import dev.parley.history.Source;
import dev.parley.history.Uuids;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/** Turns the JSON body of {@code POST /v2/bots/requests} into an {@link Exchange}, naming any bad field. */
final class ExchangeParser {

    static final Set<String> FIELDS = Set.of("id", "conversationId", "source", "externalId", "channel", "userId",
            "url", "question", "answer", "categories", "escalation", "reasoning", "expectingUserFollowup",
            "basedOn", "createdAt");
    /** The fields as a refusal lists them: alphabetically. */
    private static final java.util.List<String> FIELDS_IN_ORDER = FIELDS.stream().sorted().toList();

    private ExchangeParser() {
    }

    static Exchange parse(JsonNode body) {
        RequestBodies.refuseUnknownFields(body, FIELDS_IN_ORDER);
        return new Exchange(
                uuid(body, "id"),
                uuid(body, "conversationId"),
                source(body),
                text(body, "externalId"),
                text(body, "channel"),
                text(body, "userId"),
                text(body, "url"),
                requiredText(body, "question"),
                requiredText(body, "answer"),
                strings(body, "categories"),
                bool(body, "escalation"),
                text(body, "reasoning"),
                bool(body, "expectingUserFollowup"),
                Citations.of("basedOn", body.get("basedOn")),
                epochMs(body, "createdAt"));
    }

    private static Source source(JsonNode body) {
        String text = requiredText(body, "source");
        return Source.fromWire(text).orElseThrow(() ->
                new InvalidField("source", "must be one of " + Source.ALLOWED + ", got '" + text + "'"));
    }

    private static Optional<UUID> uuid(JsonNode body, String field) {
        return text(body, field).map(text -> Uuids.require(field, text));
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidField(field, "is required");
        }
        return text(body, field).orElseThrow();
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidField(field, "must be a string");
        }
        return Optional.of(value.textValue());
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidField(field, "must be true or false");
        }
        return value.booleanValue();
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new InvalidField(field, "must be an array of strings");
        }
        List<String> strings = new ArrayList<>(value.size());
        for (JsonNode entry : value) {
            if (!entry.isTextual()) {
                throw new InvalidField(field, "must be an array of strings");
            }
            strings.add(entry.textValue());
        }
        return strings;
    }

    private static OptionalLong epochMs(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidField(field, "must be a whole number of epoch milliseconds");
        }
        return OptionalLong.of(value.longValue());
    }
}
