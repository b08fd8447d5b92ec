package dev.parley.history;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which conversations a reader wants (SPEC §2): every filter of the history API, all combined
 * with AND. Shared by the list, the export and the stats. Empty sets and empty optionals mean
 * "no filter".
 *
 * @param sources     any of these sources; empty: all
 * @param categories  having any of these categories; empty: any
 * @param question    folded text that some request's question contains
 * @param answer      folded text that some request's answer contains
 * @param attention   whether some request failed: escalated, thumbs down, or uncited (SPEC §11)
 * @param reviewStatus the review the conversation has (SPEC §11)
 * @param labels      having a review with any of these labels; empty: any
 */
public record HistoryFilter(
        Set<Source> sources,
        OptionalLong startEpoch,
        OptionalLong endEpoch,
        List<String> categories,
        Optional<FeedbackFilter> feedback,
        Optional<Boolean> escalation,
        Optional<Boolean> hasLinks,
        Optional<String> userId,
        Optional<String> ticketId,
        Optional<String> question,
        Optional<String> answer,
        Optional<String> sourceId,
        Optional<Boolean> attention,
        Optional<ReviewStatusFilter> reviewStatus,
        List<String> labels) {

    public static final int MAX_TEXT_FILTER_LENGTH = 500;
    public static final HistoryFilter ALL = new HistoryFilter(Set.of(), OptionalLong.empty(), OptionalLong.empty(),
            List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public HistoryFilter {
        sources = Set.copyOf(sources);
        categories = List.copyOf(categories);
        labels = List.copyOf(labels);
        Objects.requireNonNull(attention, "attention");
        Objects.requireNonNull(reviewStatus, "reviewStatus");
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(escalation, "escalation");
        Objects.requireNonNull(hasLinks, "hasLinks");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(sourceId, "sourceId");
        if (startEpoch.isPresent() && endEpoch.isPresent() && startEpoch.getAsLong() >= endEpoch.getAsLong()) {
            throw new InvalidField("startEpoch", "must be before endEpoch (the range is [startEpoch, endEpoch))");
        }
        question = textFilter("question", question);
        answer = textFilter("answer", answer);
    }

    /** The filters of SPEC §2 without those of §11. */
    public HistoryFilter(Set<Source> sources, OptionalLong startEpoch, OptionalLong endEpoch, List<String> categories,
                         Optional<FeedbackFilter> feedback, Optional<Boolean> escalation, Optional<Boolean> hasLinks,
                         Optional<String> userId, Optional<String> ticketId, Optional<String> question,
                         Optional<String> answer, Optional<String> sourceId) {
        this(sources, startEpoch, endEpoch, categories, feedback, escalation, hasLinks, userId, ticketId, question,
                answer, sourceId, Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * This filter with a start where it has none: the window of a given length that ends at
     * {@code endEpoch}, or now when that is absent too (the insight's default, the last 30 days).
     */
    public HistoryFilter withDefaultWindow(long now, long lengthMs) {
        if (startEpoch.isPresent()) {
            return this;
        }
        long start = Math.max(0, endEpoch.orElse(now) - lengthMs);
        if (endEpoch.isPresent() && start >= endEpoch.getAsLong()) {
            return this;
        }
        return new HistoryFilter(sources, OptionalLong.of(start), endEpoch, categories, feedback,
                escalation, hasLinks, userId, ticketId, question, answer, sourceId, attention, reviewStatus, labels);
    }

    /** This filter with its window replaced by {@code [startEpoch, endEpoch)}. */
    HistoryFilter withWindow(OptionalLong start, OptionalLong end) {
        return new HistoryFilter(sources, start, end, categories, feedback, escalation, hasLinks, userId, ticketId,
                question, answer, sourceId, attention, reviewStatus, labels);
    }

    /** This filter narrowed to the conversations that need attention. */
    HistoryFilter needingAttention() {
        return new HistoryFilter(sources, startEpoch, endEpoch, categories, feedback, escalation, hasLinks, userId,
                ticketId, question, answer, sourceId, Optional.of(attention.orElse(true)), reviewStatus, labels);
    }

    /**
     * Whether only the window and the sources narrow the failing requests this filter matches:
     * {@code attention} absent or true (a failing request's conversation needs attention), and
     * every other filter absent.
     */
    boolean narrowsFailingRequestsByWindowAndSourcesOnly() {
        return needingAttention().equals(new HistoryFilter(sources, startEpoch, endEpoch, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(true), Optional.empty(), List.of()));
    }

    /** Folds a substring filter the way stored text is folded, so that 'É' finds 'é'. */
    private static Optional<String> textFilter(String field, Optional<String> value) {
        Objects.requireNonNull(value, field);
        value.ifPresent(text -> {
            if (text.length() > MAX_TEXT_FILTER_LENGTH) {
                throw new InvalidField(field, "must be at most " + MAX_TEXT_FILTER_LENGTH + " characters, got "
                        + text.length());
            }
            Limits.withoutNul(field, text);
        });
        return value.map(BotRequest::folded);
    }
}
