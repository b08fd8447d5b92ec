package dev.parley.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/** The body of a delivery: the same bytes on every attempt, since it is built from the stored event alone. */
final class Payload {

    private static final JsonFactory JSON = new JsonFactory();

    private Payload() {
    }

    static String of(String eventId, EventType type, long occurredAt, String conversationId,
                     Optional<String> requestId) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("id", eventId);
            out.writeStringField("type", type.wireName());
            out.writeStringField("timestamp", Instant.ofEpochMilli(occurredAt).toString());
            out.writeObjectFieldStart("data");
            out.writeStringField("conversationId", conversationId);
            if (requestId.isPresent()) {
                out.writeStringField("requestId", requestId.get());
            } else {
                out.writeNullField("requestId");
            }
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
