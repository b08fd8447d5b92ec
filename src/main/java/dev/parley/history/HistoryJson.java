package dev.parley.history;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The wire shape of history: fields in the reference response's order, our extra fields after
 * them, nulls written as {@code null}. Streams straight to a generator.
 */
public final class HistoryJson {

    private HistoryJson() {
    }

    public static void writeConversation(JsonGenerator out, Conversation conversation) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", conversation.id().toString());
        writeNullable(out, "externalId", conversation.externalId());
        out.writeStringField("source", conversation.source().wireName());
        writeNullable(out, "channel", conversation.channel());
        out.writeBooleanField("escalation", conversation.escalation());
        out.writeBooleanField("hasLinks", conversation.hasLinks());
        writeNullable(out, "feedbackType", conversation.feedbackType().map(FeedbackType::wireName));
        out.writeBooleanField("expectingUserFollowup", conversation.expectingUserFollowup());
        writeNullable(out, "url", conversation.url());
        writeStrings(out, "categories", conversation.categories());
        out.writeNumberField("createdAt", conversation.createdAt());
        out.writeNumberField("updatedAt", conversation.updatedAt());
        out.writeArrayFieldStart("botRequests");
        for (BotRequest request : conversation.botRequests()) {
            out.writeStartObject();
            writeBotRequestFields(out, request);
            out.writeEndObject();
        }
        out.writeEndArray();
        writeNullable(out, "userId", conversation.userId());
        if (conversation.review().isPresent()) {
            out.writeFieldName("review");
            writeReview(out, conversation.review().get());
        } else {
            out.writeNullField("review");
        }
        out.writeEndObject();
    }

    /** A bot request on its own, with the conversation it belongs to (the write API's answer). */
    public static void writePlacedRequest(JsonGenerator out, UUID conversationId, BotRequest request)
            throws IOException {
        out.writeStartObject();
        writeBotRequestFields(out, request);
        out.writeStringField("conversationId", conversationId.toString());
        out.writeEndObject();
    }

    private static void writeBotRequestFields(JsonGenerator out, BotRequest request) throws IOException {
        out.writeStringField("question", request.question());
        out.writeStringField("answer", request.answer());
        writeStrings(out, "categories", request.categories());
        out.writeBooleanField("escalation", request.escalation());
        writeNullable(out, "reasoning", request.reasoning());
        writeNullable(out, "feedbackType", request.feedbackType().map(FeedbackType::wireName));
        out.writeBooleanField("expectingUserFollowup", request.expectingUserFollowup());
        out.writeNumberField("createdAt", request.createdAt());
        out.writeFieldName("basedOn");
        out.writeRawValue(request.basedOn().json());
        out.writeStringField("id", request.id().toString());
        out.writeBooleanField("uncited", request.uncited());
    }

    /** A review (SPEC §11): as a conversation carries it, and as its PUT answers. */
    public static void writeReview(JsonGenerator out, Review review) throws IOException {
        out.writeStartObject();
        writeNullable(out, "status", review.status().map(ReviewStatus::wireName));
        writeStrings(out, "labels", review.labels());
        writeNullable(out, "note", review.note());
        out.writeStringField("reviewedBy", review.reviewedBy());
        out.writeNumberField("reviewedAt", review.reviewedAt());
        out.writeEndObject();
    }

    private static void writeNullable(JsonGenerator out, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            out.writeStringField(field, value.get());
        } else {
            out.writeNullField(field);
        }
    }

    private static void writeStrings(JsonGenerator out, String field, List<String> values) throws IOException {
        out.writeArrayFieldStart(field);
        for (String value : values) {
            out.writeString(value);
        }
        out.writeEndArray();
    }
}
