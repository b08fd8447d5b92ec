package dev.parley.webhook;

import dev.parley.history.HistoryEvent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The events a webhook may subscribe to, by their names on the wire (SPEC §9). */
public enum EventType {
    CONVERSATION_CREATED("conversation.created"),
    CONVERSATION_UPDATED("conversation.updated"),
    CONVERSATION_DELETED("conversation.deleted"),
    REQUEST_ESCALATED("request.escalated"),
    REQUEST_FEEDBACK("request.feedback");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWire(String text) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(text)).findFirst();
    }

    /** Every wire name, comma-separated, for messages that say what is allowed. */
    public static String allowed() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }

    static EventType of(HistoryEvent.Type type) {
        return valueOf(type.name().toUpperCase(Locale.ROOT));
    }
}
