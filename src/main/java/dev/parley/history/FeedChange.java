package dev.parley.history;

import java.util.Optional;
import java.util.UUID;

/**
 * One entry of the changes feed: a conversation as it is now, or its deletion (no conversation),
 * with the place in the feed just after it.
 */
public record FeedChange(UUID conversationId, long changedAt, Optional<Conversation> conversation,
                         FeedPosition position) {

    public boolean isDelete() {
        return conversation.isEmpty();
    }
}
