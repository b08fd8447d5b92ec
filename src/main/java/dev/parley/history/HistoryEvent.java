package dev.parley.history;

import java.util.Optional;
import java.util.UUID;

/**
 * One thing a write did to the history, as those who react to writes (webhooks) name it: told
 * inside the write's transaction, so that what they record commits or rolls back with it.
 */
public record HistoryEvent(Type type, UUID conversationId, Optional<UUID> requestId) {

    public enum Type {
        CONVERSATION_CREATED, CONVERSATION_UPDATED, CONVERSATION_DELETED, REQUEST_ESCALATED, REQUEST_FEEDBACK
    }
}
