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
        Optional<String> userId,
        Optional<Review> review) {

    /** Holds any stored conversation: the contract's limits are checked where conversations come in ({@link Limits#incoming}). */
    public Conversation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(feedbackType, "feedbackType");
        Objects.requireNonNull(review, "review");
        categories = List.copyOf(categories);
        botRequests = List.copyOf(botRequests);
    }

    /** A conversation never reviewed. */
    public Conversation(UUID id, Optional<String> externalId, Source source, Optional<String> channel,
                        boolean escalation, boolean hasLinks, Optional<FeedbackType> feedbackType,
                        boolean expectingUserFollowup, Optional<String> url, List<String> categories, long createdAt,
                        long updatedAt, List<BotRequest> botRequests, Optional<String> userId) {
        this(id, externalId, source, channel, escalation, hasLinks, feedbackType, expectingUserFollowup, url,
                categories, createdAt, updatedAt, botRequests, userId, Optional.empty());
    }

    /** A conversation whose aggregates are those its requests imply (requests oldest first). */
    public static Conversation fromRequests(UUID id, Optional<String> externalId, Source source,
                                            Optional<String> channel, Optional<String> url, Optional<String> userId,
                                            long createdAt, long updatedAt, List<BotRequest> requests) {
        Aggregates aggregates = Aggregates.of(requests);
        return new Conversation(id, externalId, source, channel, aggregates.escalation(), aggregates.hasLinks(),
                aggregates.feedbackType(), aggregates.expectingUserFollowup(), url, aggregates.categories(), createdAt,
                updatedAt, requests, userId, Optional.empty());
    }

    public Conversation withBotRequests(List<BotRequest> requests) {
        return new Conversation(id, externalId, source, channel, escalation, hasLinks, feedbackType,
                expectingUserFollowup, url, categories, createdAt, updatedAt, requests, userId, review);
    }

    public Conversation withReview(Optional<Review> given) {
        return new Conversation(id, externalId, source, channel, escalation, hasLinks, feedbackType,
                expectingUserFollowup, url, categories, createdAt, updatedAt, botRequests, userId, given);
    }

    /** Whether a bot request of it failed (SPEC §11): escalated, thumbs down, or uncited. */
    public boolean needsAttention() {
        return botRequests.stream().anyMatch(BotRequest::failed);
    }
}
