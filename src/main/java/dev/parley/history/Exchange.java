package dev.parley.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** One question and answer that a bot records ({@code POST /v2/bots/requests}), validated. */
public record Exchange(
        Optional<UUID> id,
        Optional<UUID> conversationId,
        Source source,
        Optional<String> externalId,
        Optional<String> channel,
        Optional<String> userId,
        Optional<String> url,
        String question,
        String answer,
        List<String> categories,
        boolean escalation,
        Optional<String> reasoning,
        boolean expectingUserFollowup,
        Citations basedOn,
        OptionalLong createdAt) {

    private static final JsonFactory JSON = new JsonFactory();

    public Exchange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversationId, "conversationId");
        if (source == null) {
            throw new InvalidField("source", "is required: one of " + Source.ALLOWED);
        }
        externalId = Limits.shortText("externalId", externalId, Limits.MAX_ID_LENGTH);
        channel = Limits.shortText("channel", channel, Limits.MAX_CHANNEL_LENGTH);
        userId = Limits.shortText("userId", userId, Limits.MAX_ID_LENGTH);
        url = Limits.shortText("url", url, Limits.MAX_URL_LENGTH);
        question = Limits.text("question", question);
        answer = Limits.text("answer", answer);
        categories = Limits.categories("categories", categories);
        reasoning = Limits.optionalText("reasoning", reasoning);
        Objects.requireNonNull(basedOn, "basedOn");
        createdAt.ifPresent(at -> Limits.epochMs("createdAt", at));
    }

    /** The bot request this exchange records, with the id and time it will be stored under. */
    BotRequest toBotRequest(UUID requestId, long now) {
        return new BotRequest(requestId, question, answer, categories, escalation, reasoning, Optional.empty(),
                expectingUserFollowup, createdAt.orElse(now), basedOn);
    }

    /**
     * A fingerprint of everything the client sent, so that a retry with the same id can be told
     * from a different exchange that reuses it.
     */
    String contentHash() {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartArray();
            out.writeString(conversationId.map(UUID::toString).orElse(null));
            out.writeString(source.wireName());
            out.writeString(externalId.orElse(null));
            out.writeString(channel.orElse(null));
            out.writeString(userId.orElse(null));
            out.writeString(url.orElse(null));
            out.writeString(question);
            out.writeString(answer);
            out.writeStartArray();
            for (String category : categories) {
                out.writeString(category);
            }
            out.writeEndArray();
            out.writeBoolean(escalation);
            out.writeString(reasoning.orElse(null));
            out.writeBoolean(expectingUserFollowup);
            out.writeRawValue(basedOn.json());
            if (createdAt.isPresent()) {
                out.writeNumber(createdAt.getAsLong());
            } else {
                out.writeNull();
            }
            out.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * This exchange with its free texts (question, answer, reasoning, cited titles and snippets)
     * rewritten — redaction, before the exchange reaches history, so that its fingerprint is the
     * redacted one's and a retry still matches. Ids and URLs are kept as sent.
     */
    public Exchange withTexts(java.util.function.UnaryOperator<String> rewrite) {
        return new Exchange(id, conversationId, source, externalId, channel, userId, url, rewrite.apply(question),
                rewrite.apply(answer), categories, escalation, reasoning.map(rewrite), expectingUserFollowup,
                basedOn.withTexts(rewrite), createdAt);
    }
}
