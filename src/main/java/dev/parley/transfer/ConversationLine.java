package dev.parley.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.history.BotRequest;
import dev.parley.history.Citations;
import dev.parley.history.Conversation;
import dev.parley.history.FeedbackType;
import dev.parley.history.InvalidField;
import dev.parley.history.Limits;
import dev.parley.history.Review;
import dev.parley.history.ReviewStatus;
import dev.parley.history.Source;
import dev.parley.history.Uuids;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One conversation in the shape the history API returns, read back for an import. Every field
 * given is kept as given; what is missing is filled in the way the service would have made it
 * (ids, aggregates, times). A field the shape does not have is refused naming it, as in every JSON
 * body (SPEC §3): ignored, a misspelt {@code createdAt} would silently become the first request's.
 * Only a citation's ({@code basedOn}) other keys are kept as given, as the write API keeps them.
 */
final class ConversationLine {

    /** The fields of a conversation as the history API writes it (history.HistoryJson). */
    static final Set<String> CONVERSATION_FIELDS = Set.of("id", "externalId", "source", "channel", "escalation",
            "hasLinks", "feedbackType", "expectingUserFollowup", "url", "categories", "createdAt", "updatedAt",
            "botRequests", "userId", "review");
    /** The fields of a bot request as the history API writes it inside a conversation. */
    static final Set<String> REQUEST_FIELDS = Set.of("question", "answer", "categories", "escalation", "reasoning",
            "feedbackType", "expectingUserFollowup", "createdAt", "basedOn", "id", "uncited");
    /** The fields of a review (SPEC §11) as the history API writes it. */
    static final Set<String> REVIEW_FIELDS = Set.of("status", "labels", "note", "reviewedBy", "reviewedAt");

    private ConversationLine() {
    }

    static Conversation parse(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidField("conversation", "must be a JSON object");
        }
        refuseUnknownFields(node, CONVERSATION_FIELDS, "");
        List<BotRequest> requests = requests(node.get("botRequests"));
        Optional<Long> createdAtGiven = epochMs(node, "createdAt", "createdAt");
        long createdAt = createdAtGiven.or(() -> requests.stream().map(BotRequest::createdAt).findFirst())
                .orElseThrow(() -> new InvalidField("createdAt", "is required when there are no botRequests"));
        long updatedAt = epochMs(node, "updatedAt", "updatedAt").orElse(
                Math.max(createdAt, requests.isEmpty() ? createdAt : requests.get(requests.size() - 1).createdAt()));
        UUID id = text(node, "id", "id").map(text -> Uuids.require("id", text)).orElseGet(UUID::randomUUID);
        Source source = text(node, "source", "source").map(text -> Source.fromWire(text).orElseThrow(() ->
                        new InvalidField("source", "must be one of " + Source.ALLOWED + ", got '" + text + "'")))
                .orElseThrow(() -> new InvalidField("source", "is required: one of " + Source.ALLOWED));
        Conversation implied = Conversation.fromRequests(id, text(node, "externalId", "externalId"), source,
                text(node, "channel", "channel"), text(node, "url", "url"), text(node, "userId", "userId"), createdAt,
                updatedAt, requests);
        return Limits.incoming(new Conversation(id, implied.externalId(), source, implied.channel(),
                bool(node, "escalation", "escalation").orElse(implied.escalation()),
                bool(node, "hasLinks", "hasLinks").orElse(implied.hasLinks()),
                node.has("feedbackType") ? feedback(node, "feedbackType", "feedbackType") : implied.feedbackType(),
                bool(node, "expectingUserFollowup", "expectingUserFollowup").orElse(implied.expectingUserFollowup()),
                implied.url(), node.has("categories") ? strings(node, "categories", "categories") : implied.categories(),
                createdAt, updatedAt, requests, implied.userId(), review(node.get("review"))));
    }

    /** A review kept as given; null or absent: never reviewed. */
    private static Optional<Review> review(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new InvalidField("review", "must be a JSON object or null");
        }
        refuseUnknownFields(node, REVIEW_FIELDS, "review.");
        Optional<ReviewStatus> status = text(node, "status", "review.status").map(value -> ReviewStatus.fromWire(value)
                .orElseThrow(() -> new InvalidField("review.status", "must be one of " + ReviewStatus.ALLOWED
                        + " or null, got '" + value + "'")));
        try {
            return Optional.of(new Review(status, strings(node, "labels", "review.labels"),
                    text(node, "note", "review.note"),
                    text(node, "reviewedBy", "review.reviewedBy")
                            .orElseThrow(() -> new InvalidField("review.reviewedBy", "is required")),
                    epochMs(node, "reviewedAt", "review.reviewedAt")
                            .orElseThrow(() -> new InvalidField("review.reviewedAt", "is required"))));
        } catch (InvalidField e) {
            if (e.field().startsWith("review")) {
                throw e;
            }
            throw new InvalidField("review." + e.field(), e.getMessage().substring(e.field().length() + 1));
        }
    }

    private static List<BotRequest> requests(JsonNode array) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new InvalidField("botRequests", "must be an array");
        }
        List<BotRequest> requests = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            requests.add(request(array.get(i), "botRequests[" + i + "]"));
        }
        // oldest first; a stable sort keeps the given order for equal times
        requests.sort(Comparator.comparingLong(BotRequest::createdAt));
        return requests;
    }

    private static BotRequest request(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new InvalidField(path, "must be a JSON object");
        }
        refuseUnknownFields(node, REQUEST_FIELDS, path + ".");
        // uncited is what basedOn and the answer imply (SPEC §11): checked for its type, never kept
        bool(node, "uncited", path + ".uncited");
        try {
            return Limits.incoming(new BotRequest(
                    text(node, "id", path + ".id").map(text -> Uuids.require(path + ".id", text)).orElseGet(UUID::randomUUID),
                    text(node, "question", path + ".question").orElseThrow(() -> new InvalidField(path + ".question", "is required")),
                    text(node, "answer", path + ".answer").orElseThrow(() -> new InvalidField(path + ".answer", "is required")),
                    node.has("categories") ? strings(node, "categories", path + ".categories") : List.of(),
                    bool(node, "escalation", path + ".escalation").orElse(false),
                    text(node, "reasoning", path + ".reasoning"),
                    feedback(node, "feedbackType", path + ".feedbackType"),
                    bool(node, "expectingUserFollowup", path + ".expectingUserFollowup").orElse(false),
                    epochMs(node, "createdAt", path + ".createdAt")
                            .orElseThrow(() -> new InvalidField(path + ".createdAt", "is required")),
                    Citations.of(path + ".basedOn", node.get("basedOn"))));
        } catch (InvalidField e) {
            if (e.field().startsWith(path)) {
                throw e;
            }
            throw new InvalidField(path + "." + e.field(), e.getMessage().substring(e.field().length() + 1));
        }
    }

    private static void refuseUnknownFields(JsonNode node, Set<String> fields, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw InvalidField.unknown(prefix + name, String.join(", ", fields.stream().sorted().toList()));
            }
        }
    }

    private static Optional<String> text(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidField(path, "must be a string or null");
        }
        return Optional.of(value.textValue());
    }

    private static Optional<Boolean> bool(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw new InvalidField(path, "must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    private static Optional<Long> epochMs(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new InvalidField(path, "must be a whole number of epoch milliseconds");
        }
        return Optional.of(value.longValue());
    }

    private static Optional<FeedbackType> feedback(JsonNode node, String name, String path) {
        Optional<String> text = text(node, name, path);
        return text.map(value -> FeedbackType.fromWire(value).orElseThrow(() ->
                new InvalidField(path, "must be thumbs_up, thumbs_down or null, got '" + value + "'")));
    }

    private static List<String> strings(JsonNode node, String name, String path) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new InvalidField(path, "must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode entry : value) {
            if (!entry.isTextual()) {
                throw new InvalidField(path, "must be an array of strings");
            }
            strings.add(entry.textValue());
        }
        return strings;
    }
}
