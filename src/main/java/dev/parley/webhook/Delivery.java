package dev.parley.webhook;

import java.util.Optional;
import java.util.UUID;

/**
 * One event owed to one endpoint, and how its delivery went so far. The event id is the
 * {@code webhook-id} of every attempt, so that a receiver can tell a retry from a new event.
 */
public record Delivery(UUID id, UUID webhookId, UUID eventId, EventType event, UUID conversationId,
                       Optional<UUID> requestId, long occurredAt, State state, int attempts,
                       Optional<Integer> lastStatus, Optional<String> lastError, Optional<Long> lastAttemptAt,
                       Optional<Long> nextAttemptAt) {

    /** Owed (an attempt is due or running), delivered (a 2xx), or given up after a day of failures. */
    public enum State {
        PENDING, DELIVERED, FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    String payload() {
        return Payload.of(eventId.toString(), event, occurredAt, conversationId.toString(),
                requestId.map(UUID::toString));
    }
}
