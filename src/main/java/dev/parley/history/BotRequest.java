package dev.parley.history;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** One question and its answer, as stored. */
public record BotRequest(
        UUID id,
        String question,
        String answer,
        List<String> categories,
        boolean escalation,
        Optional<String> reasoning,
        Optional<FeedbackType> feedbackType,
        boolean expectingUserFollowup,
        long createdAt,
        Citations basedOn) {

    private static final Pattern WEB_LINK = Pattern.compile("https?://", Pattern.CASE_INSENSITIVE);

    /** Holds any stored request: the contract's limits are checked where requests come in ({@link Limits#incoming}). */
    public BotRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        categories = List.copyOf(categories);
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(feedbackType, "feedbackType");
        Objects.requireNonNull(basedOn, "basedOn");
    }

    /** Cites knowledge: a non-empty {@code basedOn}, or a web link in the answer. */
    public boolean hasLinks() {
        return !basedOn.isEmpty() || WEB_LINK.matcher(answer).find();
    }

    /** Cites nothing (SPEC §11): an empty {@code basedOn} and no web link in the answer. */
    public boolean uncited() {
        return !hasLinks();
    }

    /** Failed the one who asked (SPEC §11): escalated, thumbs down, or uncited. */
    public boolean failed() {
        return escalation || feedbackType.equals(Optional.of(FeedbackType.THUMBS_DOWN)) || uncited();
    }

    public BotRequest withFeedback(Optional<FeedbackType> feedback) {
        return new BotRequest(id, question, answer, categories, escalation, reasoning, feedback,
                expectingUserFollowup, createdAt, basedOn);
    }

    /** The text that the question and answer filters search: folded the same way for every store. */
    static String folded(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
