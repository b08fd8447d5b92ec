package dev.parley.webhook;

import java.util.List;
import java.util.UUID;

/** A registered endpoint, as listed: never with its secret. */
public record Webhook(UUID id, WebhookUrl url, List<EventType> events, long createdAt) {

    public Webhook {
        events = List.copyOf(events);
    }

    public boolean wants(EventType type) {
        return events.contains(type);
    }
}
