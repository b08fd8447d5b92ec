package dev.parley.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.history.Exchange;
import dev.parley.history.FeedbackType;
import dev.parley.history.History;
import dev.parley.history.HistoryQuery;
import dev.parley.history.HistoryWriter;
import dev.parley.history.HistoryJson;
import dev.parley.history.InvalidField;
import dev.parley.history.Review;
import dev.parley.history.ReviewStatus;
import dev.parley.history.Uuids;
import dev.parley.privacy.Privacy;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The writes of SPEC §4 and reading one conversation. Each handler authenticates, parses, calls
 * {@link History}, and writes the answer.
 *
 * <pre>curl -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
 *   -d '{"source":"api","question":"Hi","answer":"Hello!"}' localhost:8080/v2/bots/requests</pre>
 */
final class ConversationEndpoints {

    private static final java.util.List<String> REVIEW_FIELDS = java.util.List.of("status", "labels", "note");

    private final History history;
    private final Privacy privacy;
    private final Authenticator authenticator;
    private final Counter exchangesRecorded;
    private final Counter conversationsStarted;

    ConversationEndpoints(History history, Privacy privacy, Authenticator authenticator, MeterRegistry meters) {
        this.history = history;
        this.privacy = privacy;
        this.authenticator = authenticator;
        this.exchangesRecorded = Counter.builder("parley.exchanges.recorded")
                .description("Exchanges recorded (retries of one already recorded are not counted)").register(meters);
        this.conversationsStarted = Counter.builder("parley.conversations.started")
                .description("Conversations that received their first exchange").register(meters);
    }

    void recordExchange(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.WRITE);
        // redacted before it is stored or fingerprinted, so that a retry is compared redacted too
        Exchange exchange = privacy.redact(principal.workspaceId(), ExchangeParser.parse(RequestBodies.jsonObject(ctx)));
        HistoryWriter.Recorded recorded = history.writer().record(principal.workspaceId(), exchange);
        if (recorded.created()) {
            exchangesRecorded.increment();
        }
        if (recorded.startedConversation()) {
            conversationsStarted.increment();
        }
        JsonResponses.send(ctx, recorded.created() ? 201 : 200,
                out -> HistoryJson.writePlacedRequest(out, recorded.conversationId(), recorded.request()));
    }

    void setFeedback(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.WRITE);
        UUID requestId = pathId(ctx);
        Optional<FeedbackType> feedback = feedbackOf(RequestBodies.jsonObject(ctx));
        HistoryWriter.PlacedRequest changed = history.writer().setFeedback(principal.workspaceId(), requestId, feedback)
                .orElseThrow(() -> ApiError.notFound("this workspace has no bot request with id " + requestId));
        JsonResponses.send(ctx, 200, out -> HistoryJson.writePlacedRequest(out, changed.conversationId(),
                changed.request()));
    }

    /** {@code PUT /v2/bots/conversations/{id}/review} (SPEC §11): a {@code review} or {@code write} key. */
    void review(Context ctx) throws IOException {
        Principal principal = authenticator.requireOneOf(ctx, Scope.REVIEW, Scope.WRITE);
        UUID id = pathId(ctx);
        Review.Verdict verdict = verdictOf(RequestBodies.jsonObject(ctx));
        Review review = history.writer().review(principal.workspaceId(), id, verdict, principal.keyId())
                .orElseThrow(() -> noConversation(id));
        JsonResponses.send(ctx, 200, out -> HistoryJson.writeReview(out, review));
    }

    void getConversation(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.READ);
        UUID id = pathId(ctx);
        var conversation = history.reader().conversation(principal.workspaceId(), id).orElseThrow(() -> noConversation(id));
        JsonResponses.send(ctx, 200, out -> HistoryJson.writeConversation(out, conversation));
    }

    void deleteConversation(Context ctx) {
        Principal principal = authenticator.require(ctx, Scope.WRITE);
        UUID id = pathId(ctx);
        if (!privacy.deleteConversation(principal.workspaceId(), principal.keyId(), id)) {
            throw noConversation(id);
        }
        ctx.status(204);
    }

    void eraseUser(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.WRITE);
        int deleted = privacy.eraseUser(principal.workspaceId(), principal.keyId(), ctx.pathParam("userId"));
        JsonResponses.send(ctx, 200, out -> {
            out.writeStartObject();
            out.writeNumberField("deleted", deleted);
            out.writeEndObject();
        });
    }

    private static Optional<FeedbackType> feedbackOf(JsonNode body) {
        RequestBodies.refuseUnknownFields(body, java.util.List.of("feedbackType"));
        JsonNode value = body.get("feedbackType");
        if (value == null) {
            throw new InvalidField("feedbackType", "is required: thumbs_up, thumbs_down, or null to clear it");
        }
        if (value.isNull()) {
            return Optional.empty();
        }
        Optional<FeedbackType> feedback = value.isTextual() ? FeedbackType.fromWire(value.textValue()) : Optional.empty();
        if (feedback.isEmpty()) {
            throw new InvalidField("feedbackType", "must be thumbs_up, thumbs_down, or null to clear it");
        }
        return feedback;
    }

    /** A review's body: {@code status}, {@code labels}, {@code note}, each optional (absent: null, or no labels). */
    private static Review.Verdict verdictOf(JsonNode body) {
        RequestBodies.refuseUnknownFields(body, REVIEW_FIELDS);
        JsonNode status = body.get("status");
        Optional<ReviewStatus> parsed = Optional.empty();
        if (status != null && !status.isNull()) {
            parsed = status.isTextual() ? ReviewStatus.fromWire(status.textValue()) : Optional.empty();
            if (parsed.isEmpty()) {
                throw new InvalidField("status", "must be one of " + ReviewStatus.ALLOWED + ", or null");
            }
        }
        List<String> labels = new ArrayList<>();
        JsonNode given = body.get("labels");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw new InvalidField("labels", "must be an array of strings");
            }
            for (JsonNode label : given) {
                if (!label.isTextual()) {
                    throw new InvalidField("labels", "must be an array of strings");
                }
                labels.add(label.textValue());
            }
        }
        JsonNode note = body.get("note");
        if (note != null && !note.isNull() && !note.isTextual()) {
            throw new InvalidField("note", "must be a string or null");
        }
        return new Review.Verdict(parsed, labels,
                note == null || note.isNull() ? Optional.empty() : Optional.of(note.textValue()));
    }

    private static UUID pathId(Context ctx) {
        String text = ctx.pathParam("id");
        return Uuids.parse(text).orElseThrow(() ->
                ApiError.invalidParameter("id", "the id in the path must be a UUID, got '" + HistoryQuery.shown(text) + "'"));
    }

    private static ApiError noConversation(UUID id) {
        return ApiError.notFound("this workspace has no conversation with id " + id);
    }

}
