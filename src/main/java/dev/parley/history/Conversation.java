package dev.parley.history;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A conversation with its bot requests, oldest first, and the aggregates they imply. */
public record Conversation(
        UUID id,
        Optional<String> externalId,
        Source source,
        Optional<String> channel,
        boolean escalation,
        boolean hasLinks,
        Optional<FeedbackType> feedbackType,
        boolean expectingUserFollowup,
        Optional<String> url,
        List<String> categories,
        long createdAt,
        long updatedAt,
        List<BotRequest> botRequests,
        Optional<String> userId) {

    public Conversation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        categories = List.copyOf(categories);
        botRequests = List.copyOf(botRequests);
    }

    public Conversation withBotRequests(List<BotRequest> requests) {
        return new Conversation(id, externalId, source, channel, escalation, hasLinks, feedbackType,
                expectingUserFollowup, url, categories, createdAt, updatedAt, requests, userId);
    }
}
